import type { Action, Permission, Role } from '../model.js';

/**
 * What a credential may do, as grants: `actions` on the resources of `protocol` whose name matches
 * `resource`. Patterns: `*` matches anything; `team/*` matches every name starting with `team/`; anything
 * else matches that exact name. Protocol ids are the protocol registry's (src/protocols/registry.ts), plus
 * `releases` for the release records; `*` stands for all of them. See docs/architecture.md, "Grant model".
 */
export interface Grant {
  protocol: string;
  resource: string;
  actions: readonly Action[];
}

/** The grants a registry token's permission stands for; a scoped token's are these restricted to its scope (scope.ts). */
export const PERMISSION_GRANTS: Record<Permission, readonly Grant[]> = {
  'read-only': [{ protocol: '*', resource: '*', actions: ['pull'] }],
  'read-write': [{ protocol: '*', resource: '*', actions: ['pull', 'push', 'delete'] }],
};

/** A user acting in person (a session, or a password login from a registry client) has the role's grants. */
export const ROLE_GRANTS: Record<Role, readonly Grant[]> = {
  admin: [{ protocol: '*', resource: '*', actions: ['pull', 'push', 'delete', 'manage'] }],
  developer: [{ protocol: '*', resource: '*', actions: ['pull', 'push', 'delete'] }],
};

function matches(pattern: string, value: string): boolean {
  if (pattern === '*' || pattern === value) return true;
  return pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1));
}

/** Whether any grant allows `action` on the named resource of `protocol`: the one matching rule. */
export function grantsAllow(grants: readonly Grant[], protocol: string, name: string, action: Action): boolean {
  for (const grant of grants) {
    if (matches(grant.protocol, protocol) && matches(grant.resource, name) && grant.actions.includes(action)) return true;
  }
  return false;
}

/**
 * Names that stand for a protocol's listing rather than one artifact start with `:` (artifact names never
 * do): OCI's `:catalog`, npm's `:search`, PyPI's `:index`. A grant on any of the protocol's artifacts reaches
 * a listing, whose handler then shows only the names the grants allow one by one.
 */
export const LISTING_PREFIX = ':';

export function isListing(name: string): boolean {
  return name.startsWith(LISTING_PREFIX);
}

/** Whether any grant allows `action` on some resource of `protocol` (the rule for listings). */
export function grantsReach(grants: readonly Grant[], protocol: string, action: Action): boolean {
  return grants.some((grant) => matches(grant.protocol, protocol) && grant.actions.includes(action));
}
