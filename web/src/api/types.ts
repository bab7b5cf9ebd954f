/** The shapes of the API answers Fly Web reads (see GET /api/v1/openapi.json). */

export type Role = 'admin' | 'developer';
export type Permission = 'read-only' | 'read-write';
export type TokenStatus = 'active' | 'expired' | 'revoked';
export type UserStatus = 'invited' | 'active' | 'deactivated';

export interface Whoami {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: Role };
  permission: Permission;
  environmentId: string | null;
  can: { pull: boolean; push: boolean; delete: boolean; manageTokens: boolean; manageUsers: boolean };
  csrfToken?: string;
}

export interface User {
  id: string;
  username: string;
  email: string;
  name: string | null;
  role: Role;
  status: UserStatus;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface LoginAnswer {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export interface Token {
  id: string;
  name: string;
  username: string;
  permission: Permission;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  status: TokenStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  environmentId: string | null;
  environment?: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedClient: string | null;
  useCount: number;
}

export interface KubernetesSnippets {
  manifest?: string;
  secretManifest?: string;
  kubectl?: string;
  [key: string]: unknown;
}

export interface TokenSnippets {
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
  kubernetes?: KubernetesSnippets | string;
  [key: string]: unknown;
}

export interface CreatedToken extends Token {
  token: string;
  snippets: TokenSnippets;
}

export interface Invitation {
  user: User;
  invitationUrl: string;
  expiresAt: string;
}

export interface InvitationInfo {
  username: string;
  email: string;
  expiresAt: string;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string | null; name: string | null };
  ip: string | null;
  details: Record<string, unknown>;
}
