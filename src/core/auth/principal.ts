import type { Role, TokenIdentity } from '../model.js';
import { ROLE_GRANTS, type Grant } from './grants.js';
import { scopedGrants } from './scope.js';
import type { Permission } from '../model.js';

/** Who is making a request, whatever protocol it came through. */
export interface Principal {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: Role };
  /** Set when a registry token authenticated the request. */
  token: TokenIdentity | null;
  /** Set when a login session authenticated the request. */
  session: { id: string; viaCookie: boolean } | null;
  /** The token's permission; sessions act with the user's full rights ('read-write'). Shown by whoami. */
  permission: Permission;
  environmentId: string | null;
  /** What the credential may do with artifacts (core/auth/grants.ts); authorize() reads nothing else for them. */
  grants: readonly Grant[];
  /**
   * A further limit carried by a credential derived from this one: an OCI registry bearer token names the
   * repositories and actions it was issued for. null = no limit beyond `grants`.
   */
  scope: readonly Grant[] | null;
}

/** A user acting in person: through a login session, or proven by their password. */
export function userPrincipal(user: Principal['user'], session: Principal['session']): Principal {
  return { kind: 'user', user, token: null, session, permission: 'read-write', environmentId: null, grants: ROLE_GRANTS[user.role], scope: null };
}

/** A registry token acting for its creator, with its permission's grants (restricted to its scope, if it has one). */
export function tokenPrincipal(user: Principal['user'], token: TokenIdentity): Principal {
  return {
    kind: 'token',
    user,
    token,
    session: null,
    permission: token.permission,
    environmentId: token.environmentId,
    grants: scopedGrants(token.permission, token.scope),
    scope: null,
  };
}

/**
 * A credential as found on the wire; core decides what it is worth. A session cookie says whether the
 * request also carried the matching CSRF token (http/credentials.ts reads both).
 */
export type Credential =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; secret: string }
  | { kind: 'session-cookie'; secret: string; csrfChecked: boolean };

/** Where a request came from: recorded on tokens, audit events and pull events. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/** The name an action is recorded under in the audit log. */
export function actorName(p: Principal): string {
  return p.token ? `${p.user.username} (token ${p.token.username})` : p.user.username;
}
