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

export interface KubernetesPullSecret {
  namespace: string;
  secretName: string;
  manifest: string;
  kubectl: string;
}

export interface TokenSnippets {
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
  /** Environment tokens only: a ready image-pull secret. */
  kubernetes?: KubernetesPullSecret;
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

export interface Environment {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentProfile extends Environment {
  tokens: Token[];
}

export interface ReleaseRef {
  id: number;
  name: string;
  version: string;
  createdAt: string;
}

export interface Deployment {
  repository: string;
  digest: string;
  tag: string | null;
  firstSeen: string;
  lastSeen: string;
  pullCount: number;
  running: boolean;
  release: ReleaseRef | null;
}

export interface RunningImage {
  repository: string;
  digest: string;
  tag: string | null;
  since: string;
  lastSeen: string;
  pullCount: number;
  release: ReleaseRef | null;
}

export interface Drift extends RunningImage {
  status: 'up-to-date' | 'behind' | 'unknown';
  behind: number | null;
  latest: (ReleaseRef & { digest: string }) | null;
}

export interface Comparison {
  a: string;
  b: string;
  repositories: { repository: string; a: RunningImage | null; b: RunningImage | null }[];
}

export type ReleaseArtifact =
  | { type: 'oci'; repository: string; digest: string }
  | { type: 'npm'; name: string; version: string }
  | { type: 'pypi'; name: string; version: string };

export interface Release {
  id: number;
  name: string;
  version: string;
  artifacts: ReleaseArtifact[];
  source: { commit: string | null; branch: string | null; pr: string | null; author: string | null; url: string | null };
  notes: string | null;
  createdAt: string;
  createdBy: string;
}
