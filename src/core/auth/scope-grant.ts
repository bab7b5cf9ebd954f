/**
 * The shape of a fine-grained scope entry, with no dependencies: the API answers (and so Fly Web, which
 * compiles src/api/answers.ts in the browser's tsconfig) import it. Validation and grants: scope.ts.
 */

export const SCOPE_ACTIONS = ['pull', 'push', 'delete'] as const;
export type ScopeAction = (typeof SCOPE_ACTIONS)[number];

/** One scope entry, in the grant model's shape: `actions` on the resources of `protocol` matching `resource`. */
export interface ScopeGrant {
  protocol: string;
  resource: string;
  actions: ScopeAction[];
}

/** `oci:team/*`, with the actions when they are fewer than all three: `oci:team/* (pull)`. */
export function formatScopeEntry(g: Pick<ScopeGrant, 'protocol' | 'resource'> & { actions: readonly string[] }): string {
  const all = g.actions.length === SCOPE_ACTIONS.length;
  return `${g.protocol}:${g.resource}${all ? '' : ` (${g.actions.join(', ')})`}`;
}
