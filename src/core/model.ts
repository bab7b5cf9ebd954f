/** Domain records shared by core services and the storage ports. Times are JavaScript Dates. */
import type { ScopeGrant } from './auth/scope-grant.js';

export const ROLES = ['admin', 'developer'] as const;
export type Role = (typeof ROLES)[number];
export type UserStatus = 'invited' | 'active' | 'deactivated';
/** A registry token's permission: the one definition every layer (API, CLI, MCP, Fly Web) reads. */
export const PERMISSIONS = ['read-only', 'read-write'] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type TokenStatus = 'active' | 'expired' | 'revoked';
/** What a request does to what it names; routes declare one, authorize() decides (docs/architecture.md). */
export const ACTIONS = ['pull', 'push', 'delete', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export interface User {
  id: string;
  username: string;
  email: string;
  name: string | null;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface Session {
  id: string;
  userId: string;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface Invitation {
  id: string;
  userId: string;
  secretHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
}

export interface Token {
  id: string;
  name: string;
  username: string;
  permission: Permission;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  environmentId: string | null;
  secretHash: string;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  lastUsedClient: string | null;
  useCount: number;
  /** Fine-grained scope (core/auth/scope.ts): the resource patterns it may reach; null or absent = the whole registry. */
  scope?: readonly ScopeGrant[] | null;
}

/** A token as a principal carries it and `GET /whoami` shows it: picked from the record in one place. */
export type TokenIdentity = Pick<Token, 'id' | 'name' | 'username' | 'permission' | 'environmentId' | 'scope'> & {
  /** When the token expires (null = never); absent where a record never had one (test fixtures). */
  expiresAt?: Date | null;
  /** Set when the request used a secret a rotation replaced: when that secret stops working (tokens/rotation.ts). */
  secretRetiresAt?: Date;
};

export function tokenIdentity(t: TokenIdentity): TokenIdentity {
  return { id: t.id, name: t.name, username: t.username, permission: t.permission, environmentId: t.environmentId, scope: t.scope ?? null, expiresAt: t.expiresAt ?? null };
}

/** A token joined with what authentication needs about its creator. */
export interface TokenWithCreator extends Token {
  creatorUsername: string;
  creatorStatus: UserStatus;
  creatorRole: Role;
  /** The name of the environment the token is scoped to, if it still exists. */
  environmentName: string | null;
}

export interface AuditEvent {
  id: number;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Status is derived, never stored: revoked > expired > active. */
export function tokenStatus(token: Pick<Token, 'revokedAt' | 'expiresAt'>, now: Date): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
