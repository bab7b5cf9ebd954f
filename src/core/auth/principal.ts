import type { Permission, Role } from '../model.js';

/** Who is making a request, whatever protocol it came through. */
export interface Principal {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: Role };
  /** Set when a registry token authenticated the request. */
  token: { id: string; name: string; username: string; permission: Permission; environmentId: string | null } | null;
  /** Set when a login session authenticated the request. */
  session: { id: string; viaCookie: boolean } | null;
  /** What the credential may do with artifacts: sessions act with the user's full rights. */
  permission: Permission;
  environmentId: string | null;
}

/** A credential as a protocol adapter found it on the wire; core decides what it is worth. */
export type Credential =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; secret: string }
  | { kind: 'session-cookie'; secret: string };

/** Where a request came from: recorded on tokens, audit events and pull events. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/** The name an action is recorded under in the audit log. */
export function actorName(p: Principal): string {
  return p.token ? `${p.user.username} (token ${p.token.username})` : p.user.username;
}
