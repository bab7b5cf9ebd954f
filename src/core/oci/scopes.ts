import type { Action } from '../auth/authorize.js';
import type { Grant as CoreGrant } from '../auth/grants.js';

/** The protocol id OCI artifacts are authorized under (the protocol registry's). */
export const OCI_PROTOCOL = 'oci';
/**
 * The resource `GET /v2/_catalog` is authorized on. The colon keeps it apart from every repository name
 * (names never hold one), so only a `*` grant or the `registry:catalog:*` scope covers it.
 */
export const CATALOG_RESOURCE = ':catalog';

/** The actions a registry token scope can name (Docker's token spec; `*` means all of them). */
export type ScopeAction = Extract<Action, 'pull' | 'push' | 'delete'>;
const ALL: readonly ScopeAction[] = ['pull', 'push', 'delete'];

/**
 * What a bearer token may touch, as its payload carries it: per repository actions, and whether it may list
 * the catalog. scopeGrants() turns it into core grants, which authorize() applies as the principal's scope.
 */
export interface Grant {
  repositories: Record<string, ScopeAction[]>;
  catalog: boolean;
}

export interface RequestedScope {
  type: 'repository' | 'registry';
  name: string;
  actions: ScopeAction[];
}

/**
 * Parses `scope` values as Docker and containerd send them: several parameters and/or several
 * space-separated scopes, each `repository:<name>:<actions>` or `registry:catalog:*`. Unknown types and
 * actions are ignored (the token server grants what it understands), as the token spec allows.
 */
export function parseScopes(values: readonly string[]): RequestedScope[] {
  const scopes: RequestedScope[] = [];
  for (const value of values) {
    for (const item of value.split(' ')) {
      const first = item.indexOf(':');
      const last = item.lastIndexOf(':');
      if (first <= 0 || last === first) continue;
      const type = item.slice(0, first);
      const name = item.slice(first + 1, last);
      const actions = new Set<ScopeAction>();
      for (const a of item.slice(last + 1).split(',')) {
        if (a === '*') ALL.forEach((x) => actions.add(x));
        else if ((ALL as readonly string[]).includes(a)) actions.add(a as ScopeAction);
      }
      if (type === 'repository' || type.startsWith('repository(')) scopes.push({ type: 'repository', name, actions: [...actions] });
      else if (type === 'registry' && name === 'catalog') scopes.push({ type: 'registry', name, actions: [...actions] });
    }
  }
  return scopes;
}

const converted = new WeakMap<Grant, CoreGrant[]>();

/** The bearer token's grant in core's grant model (remembered per verified token: the hot path asks often). */
export function scopeGrants(grant: Grant): CoreGrant[] {
  let grants = converted.get(grant);
  if (!grants) {
    grants = Object.entries(grant.repositories).map(([resource, actions]) => ({ protocol: OCI_PROTOCOL, resource, actions }));
    if (grant.catalog) grants.push({ protocol: OCI_PROTOCOL, resource: CATALOG_RESOURCE, actions: ['pull'] });
    converted.set(grant, grants);
  }
  return grants;
}

/** The scope a client should ask for to perform an action (Docker asks for pull,push when pushing). */
export function challengeScope(repository: string, action: ScopeAction): string {
  return `repository:${repository}:${action === 'push' ? 'pull,push' : action}`;
}
