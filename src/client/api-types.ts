/**
 * The shapes of the management API's answers as clients read them. The API is the contract (see
 * `GET /api/v1/openapi.json`); clients never import the server's core types.
 */
export type Permission = 'read-only' | 'read-write';

export interface TokenView {
  id: string;
  name: string;
  username: string;
  permission: Permission;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  revokedAt: string | null;
  revokedBy: string | null;
  environmentId: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedClient: string | null;
  useCount: number;
  [field: string]: unknown;
}

export interface CreatedToken extends TokenView {
  /** The secret: the only answer that ever carries it. */
  token: string;
  snippets: Record<string, unknown>;
}

export interface CreateTokenRequest {
  name: string;
  /** Required, except for environment tokens (read-only by default). */
  permission?: Permission;
  expiresAt: string | null;
  environment?: string;
}

export interface Whoami {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: 'admin' | 'developer' };
  token: { id: string; name: string; username: string; permission: Permission; environmentId: string | null } | null;
  permission: Permission;
  environmentId: string | null;
  can: Record<string, boolean>;
}

export interface LoginAnswer {
  user: { id: string; username: string; role: string };
  sessionToken: string;
  expiresAt: string;
}

export interface RegistryEndpoints {
  publicUrl: string;
  docker: { registry: string };
  npm: { registry: string; authKey: string };
  pypi: { indexUrl: string };
}

/** Answers whose fields the clients pass through as they are (environments, releases). */
export type JsonObject = Record<string, unknown>;

export interface EnvironmentView {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReleaseRef {
  id: number;
  name: string;
  version: string;
  createdAt: string;
}

/** One image an environment runs (state), or ran (timeline), as pulls with its tokens showed it. */
export interface RunningImage {
  repository: string;
  digest: string;
  tag: string | null;
  since?: string;
  firstSeen?: string;
  lastSeen: string;
  pullCount: number;
  running?: boolean;
  release: ReleaseRef | null;
}

export interface DriftEntry extends RunningImage {
  status: 'up-to-date' | 'behind' | 'unknown';
  behind: number | null;
  latest: (ReleaseRef & { digest: string }) | null;
}

export interface ReleaseView {
  id: number;
  name: string;
  version: string;
  artifacts: JsonObject[];
  source: JsonObject;
  notes: string | null;
  createdAt: string;
  createdBy: string;
}
