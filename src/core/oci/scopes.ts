import type { Action } from '../auth/authorize.js';

/** The actions a registry token scope can name (Docker's token spec; `*` means all of them). */
export type ScopeAction = Extract<Action, 'pull' | 'push' | 'delete'>;
const ALL: readonly ScopeAction[] = ['pull', 'push', 'delete'];

/** What a bearer token may touch: per repository actions, and whether it may list the catalog. */
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

export function grantAllows(grant: Grant, repository: string, action: ScopeAction): boolean {
  return grant.repositories[repository]?.includes(action) ?? false;
}

/** The scope a client should ask for to perform an action (Docker asks for pull,push when pushing). */
export function challengeScope(repository: string, action: ScopeAction): string {
  return `repository:${repository}:${action === 'push' ? 'pull,push' : action}`;
}
