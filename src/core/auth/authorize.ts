import { Errors } from '../errors.js';
import type { Action } from '../model.js';
import { grantsAllow, grantsReach, isListing, LISTING_PREFIX } from './grants.js';
import type { Principal } from './principal.js';

export type { Action } from '../model.js';

/** What a request acts on. Protocols name artifacts (by their registry id); the management API names the rest. */
export type Resource =
  | { kind: 'artifact'; protocol: string; name: string }
  | { kind: 'release' }
  | { kind: 'environment' }
  | { kind: 'tokens' }
  | { kind: 'token'; createdBy: string }
  /** The tokens one user created, as registry clients manage them (`npm token list/revoke`). */
  | { kind: 'own-tokens'; createdBy: string }
  | { kind: 'users' }
  /** A share link of generic files: everyone signed in sees them; its creator or an admin revokes it. */
  | { kind: 'share-link'; createdBy: string }
  /** A pending `npm login --auth-type=web`: a signed-in user views it, and approves it for themselves or denies it. */
  | { kind: 'npm-login' }
  /** OIDC trust policies: every user may view them, admins change them. */
  | { kind: 'trust-policies' }
  | { kind: 'audit' }
  | { kind: 'webhooks' };

/** Releases are checked against grants as this protocol id (a `*` grant covers them). */
export const RELEASES_PROTOCOL = 'releases';

const VERB: Record<Action, string> = { pull: 'download or view', push: 'upload or publish', delete: 'delete', manage: 'manage' };

/**
 * The one place that decides what a principal may do, for every protocol and the management API. Artifacts
 * and releases are decided by the principal's grants (then by its scope, for a derived credential); the
 * management resources by role. Throws forbidden / read_only with the reason, or unauthenticated when only a
 * derived credential's scope is missing (the client can fetch one with that scope); returns when allowed.
 * See docs/architecture.md, "Grant model".
 */
export function authorize(principal: Principal, action: Action, resource: Resource): void {
  if (resource.kind === 'artifact') {
    const { protocol, name } = resource;
    return authorizeGranted(principal, action, protocol, name, isListing(name) ? `${protocol} ${name.slice(LISTING_PREFIX.length)}` : name);
  }
  if (resource.kind === 'release') return authorizeGranted(principal, action, RELEASES_PROTOCOL, '*', 'releases');
  if (principal.kind === 'token') return authorizeToken(principal, action, resource);
  return authorizeUser(principal, action, resource);
}

/** Non-throwing form, for listings that hide what the caller may not see. */
export function isAllowed(principal: Principal, action: Action, resource: Resource): boolean {
  try {
    authorize(principal, action, resource);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the principal may act on every artifact of the protocol (a grant on `*` there, no scope narrowing
 * it): a listing handler then serves its whole document without filtering name by name.
 */
export function reachesEveryName(principal: Principal, action: Action, protocol: string): boolean {
  // `*` as a name is matched only by a `*` pattern (grants.ts), never by a prefix such as `team-*`.
  return isAllowed(principal, action, { kind: 'artifact', protocol, name: '*' });
}

function authorizeGranted(p: Principal, action: Action, protocol: string, name: string, label: string): void {
  // A listing (`:catalog`…) is reached by a grant on any of the protocol's artifacts; its handler filters per name.
  const granted = (a: Action) => (isListing(name) ? grantsReach(p.grants, protocol, a) : grantsAllow(p.grants, protocol, name, a));
  if (!granted(action)) {
    if (action === 'manage') {
      throw Errors.forbidden(p.kind === 'token' ? 'Registry tokens cannot manage the registry' : 'Only admins can manage repositories');
    }
    if (granted('pull')) {
      throw p.kind === 'token' ? Errors.readOnly(`${VERB[action]} ${label}`) : Errors.forbidden(`You may not ${VERB[action]} ${label}`);
    }
    const outside = p.token?.scope ? ": it is outside the token's scope" : '';
    throw Errors.forbidden(`This ${p.kind === 'token' ? 'token' : 'account'} may not ${VERB[action]} ${label}${outside}`);
  }
  if (p.scope && !grantsAllow(p.scope, protocol, name, action)) {
    throw Errors.unauthenticated('The bearer token does not grant this action on this repository: request a token with that scope');
  }
}

function authorizeToken(p: Principal, action: Action, resource: Exclude<Resource, { kind: 'artifact' | 'release' }>): void {
  if (resource.kind === 'own-tokens') return authorizeOwnTokens(p, action, resource.createdBy);
  throw Errors.forbidden('Registry tokens are for artifacts: log in with a user session to manage tokens, users and environments');
}

/**
 * The one exception to "registry tokens are for artifacts": npm has no credential but its registry token,
 * so `npm token list` and `npm token revoke` act with it. Such a token acts for its creator, only on tokens
 * that user created (the developer rule, whatever the creator's role), and only when it is read & write.
 * (Creating a token is not covered: it needs the user's password, see core/tokens/client-tokens.ts.)
 */
function authorizeOwnTokens(p: Principal, action: Action, createdBy: string): void {
  if (action !== 'pull' && action !== 'manage') throw Errors.forbidden('Registry tokens can only list and revoke tokens');
  if (p.permission !== 'read-write') throw Errors.readOnly(action === 'pull' ? 'list tokens' : 'revoke tokens');
  if (createdBy !== p.user.id) throw Errors.forbidden(`This token can only list and revoke tokens created by ${p.user.username}`);
}

function authorizeUser(p: Principal, action: Action, resource: Exclude<Resource, { kind: 'artifact' | 'release' }>): void {
  const isAdmin = p.user.role === 'admin';
  switch (resource.kind) {
    case 'own-tokens':
      if (resource.createdBy === p.user.id) return;
      throw Errors.forbidden('Only your own tokens can be managed here');
    case 'environment':
    case 'tokens':
      return;
    case 'npm-login':
      // Approving gives the npm that asked a token of the approving user's own: anyone signed in may.
      return;
    case 'token':
      if (action === 'pull' || isAdmin || resource.createdBy === p.user.id) return;
      throw Errors.forbidden('Developers can only revoke or delete tokens they created');
    case 'share-link':
      if (action === 'pull' || isAdmin || resource.createdBy === p.user.id) return;
      throw Errors.forbidden('Only its creator or an admin can revoke a share link');
    case 'trust-policies':
      if (action === 'pull' || isAdmin) return;
      throw Errors.forbidden('Only admins can change OIDC trust policies');
    case 'webhooks':
      if (isAdmin) return;
      throw Errors.forbidden('Only admins can view or change webhooks');
    case 'users':
    case 'audit':
      if (isAdmin) return;
      throw Errors.forbidden(`Only admins can ${action === 'pull' ? 'view' : 'manage'} ${resource.kind === 'users' ? 'the team' : 'the audit log'}`);
  }
}
