import { apiRequest, setCsrfToken } from './client';
import type {
  AuditEvent,
  Comparison,
  CreatedToken,
  Deployment,
  Drift,
  Environment,
  EnvironmentProfile,
  Invitation,
  PackageDetail,
  PackagePage,
  InvitationInfo,
  LoginAnswer,
  NpmWebLoginRequest,
  Permission,
  Release,
  Role,
  RotatedToken,
  RunningImage,
  ShareLink,
  Token,
  User,
  Webhook,
  WebhookDelivery,
  WebhookFormat,
  WebhookList,
  NotificationEventType,
  Whoami,
} from './types';

/** Typed calls to the management API, one per endpoint the dashboard uses. */

export async function fetchWhoami(): Promise<Whoami> {
  const me = await apiRequest<Whoami>('GET', '/api/v1/whoami');
  setCsrfToken(me.csrfToken ?? null);
  return me;
}

export async function logIn(username: string, password: string): Promise<void> {
  // The answer also carries the session token for scripts; the browser keeps only its HttpOnly cookie.
  const answer = await apiRequest<LoginAnswer>('POST', '/api/v1/auth/login', { username, password });
  setCsrfToken(answer.csrfToken);
}

export async function logOut(): Promise<void> {
  try {
    await apiRequest('POST', '/api/v1/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

export const listTokens = async () => (await apiRequest<{ tokens: Token[] }>('GET', '/api/v1/tokens')).tokens;

export interface NewToken {
  name: string;
  permission: Permission;
  expiresAt: string | null;
  environment?: string;
  /** `["oci:team/*", …]`; absent = the whole registry. */
  scope?: string[];
}
export const createToken = (input: NewToken) => apiRequest<CreatedToken>('POST', '/api/v1/tokens', input);
export const revokeToken = (id: string) =>
  apiRequest<{ token: Token; alreadyRevoked: boolean; message: string }>('POST', `/api/v1/tokens/${encodeURIComponent(id)}/revoke`);
/** A new secret for the same token (shown once); the old one keeps working for `overlapSeconds`. */
export const rotateToken = (id: string, overlapSeconds: number) =>
  apiRequest<RotatedToken>('POST', `/api/v1/tokens/${encodeURIComponent(id)}/rotate`, { overlapSeconds });
export const deleteToken = (id: string) => apiRequest<{ deleted: true }>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);

export const listShareLinks = async () => (await apiRequest<{ shareLinks: ShareLink[] }>('GET', '/api/v1/share-links')).shareLinks;
export const revokeShareLink = (id: string) => apiRequest<ShareLink>('POST', `/api/v1/share-links/${encodeURIComponent(id)}/revoke`);

export const listUsers = async () => (await apiRequest<{ users: User[] }>('GET', '/api/v1/users')).users;
export const getUser = (id: string) => apiRequest<User>('GET', `/api/v1/users/${encodeURIComponent(id)}`);
export const inviteUser = (input: { username: string; email: string; role: Role; name?: string }) =>
  apiRequest<Invitation>('POST', '/api/v1/users', input);
export const resendInvitation = (id: string) => apiRequest<Invitation>('POST', `/api/v1/users/${encodeURIComponent(id)}/invitation`);
export const deleteInvitedUser = (id: string) => apiRequest<{ deleted: true }>('DELETE', `/api/v1/users/${encodeURIComponent(id)}`);
export const updateUser = (id: string, change: { role?: Role; status?: 'active' | 'deactivated' }) =>
  apiRequest<User>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, change);

export const getInvitation = (token: string) => apiRequest<InvitationInfo>('GET', `/api/v1/invitations/${encodeURIComponent(token)}`);
export const acceptInvitation = (token: string, password: string) =>
  apiRequest<{ user: User }>('POST', '/api/v1/invitations/accept', { token, password });

const npmLogin = (id: string) => `/api/v1/npm-logins/${encodeURIComponent(id)}`;
export const getNpmLogin = (id: string) => apiRequest<NpmWebLoginRequest>('GET', npmLogin(id));
export const approveNpmLogin = (id: string) => apiRequest<NpmWebLoginRequest>('POST', `${npmLogin(id)}/approve`);
export const denyNpmLogin = (id: string) => apiRequest<NpmWebLoginRequest>('POST', `${npmLogin(id)}/deny`);

export const listAudit = (before?: number) =>
  apiRequest<{ events: AuditEvent[]; nextBefore: number | null }>('GET', `/api/v1/audit?limit=50${before ? `&before=${before}` : ''}`);

const env = (name: string) => `/api/v1/environments/${encodeURIComponent(name)}`;

export const listEnvironments = async () => (await apiRequest<{ environments: Environment[] }>('GET', '/api/v1/environments')).environments;
export const getEnvironment = (name: string) => apiRequest<EnvironmentProfile>('GET', env(name));
export interface NewEnvironment {
  name: string;
  description: string | null;
  color: string | null;
  token?: { permission: Permission; expiresAt: string | null };
}
export const createEnvironment = (input: NewEnvironment) =>
  apiRequest<{ environment: Environment; token: CreatedToken | null }>('POST', '/api/v1/environments', input);
export const deleteEnvironment = (name: string) => apiRequest<{ deleted: true; revokedTokens: number }>('DELETE', `${env(name)}?confirm=true`);
export const createEnvironmentToken = (name: string, input: { name?: string; permission: Permission; expiresAt: string | null; scope?: string[] }) =>
  apiRequest<CreatedToken>('POST', `${env(name)}/tokens`, input);
export const getDeployments = (name: string, cursor?: string | null) =>
  apiRequest<{ environment: string; deployments: Deployment[]; nextCursor: string | null }>(
    'GET',
    `${env(name)}/deployments?order=desc&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
export const getState = (name: string) => apiRequest<{ environment: string; repositories: RunningImage[] }>('GET', `${env(name)}/state`);
export const getDrift = (name: string) => apiRequest<{ environment: string; repositories: Drift[] }>('GET', `${env(name)}/drift`);
export const compareEnvironments = (a: string, b: string) =>
  apiRequest<Comparison>('GET', `/api/v1/environments/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);

export const listReleases = (before?: number) =>
  apiRequest<{ releases: Release[]; nextBefore: number | null }>('GET', `/api/v1/releases?limit=50${before ? `&before=${before}` : ''}`);
export const getRelease = (id: string) => apiRequest<Release>('GET', `/api/v1/releases/${encodeURIComponent(id)}`);

export const listPackages = (query: { q?: string; protocol?: string; after?: string | null }) => {
  const params = new URLSearchParams({ limit: '50' });
  if (query.q) params.set('q', query.q);
  if (query.protocol) params.set('protocol', query.protocol);
  if (query.after) params.set('after', query.after);
  return apiRequest<PackagePage>('GET', `/api/v1/packages?${params.toString()}`);
};
const pkg = (protocol: string, name: string) => `/api/v1/packages/${encodeURIComponent(protocol)}/${encodeURIComponent(name)}`;
export const getPackage = (protocol: string, name: string) => apiRequest<PackageDetail>('GET', pkg(protocol, name));
export const packageAction = (protocol: string, name: string, action: string, input: { version: string; message?: string }) =>
  apiRequest<PackageDetail | { deleted: true }>('POST', `${pkg(protocol, name)}/actions/${encodeURIComponent(action)}`, input);

export const listWebhooks = () => apiRequest<WebhookList>('GET', '/api/v1/webhooks');
export interface NewWebhook {
  name: string;
  url: string;
  events: NotificationEventType[];
  format: WebhookFormat;
  secret?: string;
}
export const createWebhook = (input: NewWebhook) => apiRequest<Webhook>('POST', '/api/v1/webhooks', input);
export const updateWebhook = (id: string, patch: Partial<NewWebhook> & { enabled?: boolean }) =>
  apiRequest<Webhook>('PATCH', `/api/v1/webhooks/${encodeURIComponent(id)}`, patch);
export const deleteWebhook = (id: string) => apiRequest<{ deleted: true }>('DELETE', `/api/v1/webhooks/${encodeURIComponent(id)}`);
export const sendWebhookTest = (id: string) => apiRequest<{ eventId: string; message: string }>('POST', `/api/v1/webhooks/${encodeURIComponent(id)}/test`);
export const listWebhookDeliveries = async (id: string) =>
  (await apiRequest<{ deliveries: WebhookDelivery[] }>('GET', `/api/v1/webhooks/${encodeURIComponent(id)}/deliveries`)).deliveries;
