import { z } from 'zod';
import { Errors, type FieldIssue } from '../errors.js';
import type { Permission } from '../model.js';
import type { CoreProtocol } from '../protocols.js';
import { PERMISSION_GRANTS, type Grant } from './grants.js';
import { formatScopeEntry, SCOPE_ACTIONS, type ScopeGrant } from './scope-grant.js';

export { formatScopeEntry, SCOPE_ACTIONS, type ScopeAction, type ScopeGrant } from './scope-grant.js';

/**
 * Fine-grained scopes: the resources a token (or the tokens a trust policy issues) may reach, as resource
 * patterns per protocol. A scoped token's grants are its permission's actions restricted to these patterns
 * (scopedGrants), so authorize() decides every read, write and delete exactly as for any other grant.
 * No scope (null) = the whole registry. See docs/architecture.md, "Grant model".
 */

export const MAX_SCOPE_ENTRIES = 50;
export const MAX_PATTERN_LENGTH = 200;

/** Release records are granted as this protocol id (authorize.ts): `releases:*` lets a scoped token create releases. */
const RELEASES_SCOPE = 'releases';

/**
 * Pattern syntax, the grant model's: an exact name, `prefix*` (every name starting with the prefix), or `*`.
 * The star is only allowed last, because that is all the matcher (grants.ts) understands.
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/u.test(pattern)) return 'must not contain spaces or control characters';
  if (pattern.slice(0, -1).includes('*')) return 'may only end with "*" (a prefix), e.g. "team/*"; no "*" elsewhere';
  return null;
}

const patternInput = z.string().superRefine((value, ctx) => {
  const problem = patternProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const scopeGrantObject = z.strictObject({
  protocol: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be "protocol:pattern" with a protocol id such as "oci", "npm" or "pypi", e.g. "oci:team/*"'),
  resource: patternInput,
  /** Omitted = every action the permission allows. */
  actions: z
    .array(z.enum(SCOPE_ACTIONS, { error: 'must be "pull", "push" or "delete"' }))
    .min(1, 'must list at least one action')
    .max(3)
    .default([...SCOPE_ACTIONS]),
});

/** `"oci:team/*"` → `{ protocol: 'oci', resource: 'team/*' }` (split at the first colon: Maven names hold one). */
function splitEntry(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_PATTERN_LENGTH + 40) return { protocol: '', resource: value };
  const colon = value.indexOf(':');
  return colon < 0 ? { protocol: '', resource: value } : { protocol: value.slice(0, colon), resource: value.slice(colon + 1) };
}

/** One entry: `"protocol:pattern"`, or `{ protocol, resource, actions? }`. */
export const scopeEntryInput = z
  .preprocess(splitEntry, scopeGrantObject)
  .describe('A "protocol:pattern" string such as "oci:team/*", "npm:@acme/*", "pypi:acme-*" or "maven:com.acme.*", or this object');

/** A scope as the API takes it: null (or absent) = the whole registry; otherwise 1–50 entries. */
export const scopeInput = z
  .array(scopeEntryInput)
  .min(1, 'must list at least one "protocol:pattern" (or be null for the whole registry)')
  .max(MAX_SCOPE_ENTRIES, `must list at most ${MAX_SCOPE_ENTRIES} patterns`)
  .nullable()
  .describe(
    'Fine-grained scope: the resource patterns (per protocol) the token may reach, with its permission\'s actions. A pattern is an exact name or a prefix ending in "*". Absent or null = the whole registry',
  );

/**
 * Checks a parsed scope against the protocols this registry serves (and `releases`), and spells each
 * pattern as the protocol stores names (PyPI's `Acme_*` is `acme-*`), so a pattern matches what it means.
 * Duplicates are merged. Throws a validation error naming the entry.
 */
export function resolveScope(scope: readonly ScopeGrant[], protocols: readonly CoreProtocol[], field = 'scope'): ScopeGrant[] {
  const known = new Map(protocols.map((p) => [p.id, p]));
  const issues: FieldIssue[] = [];
  const merged = new Map<string, ScopeGrant>();
  scope.forEach((entry, i) => {
    const protocol = known.get(entry.protocol);
    if (!protocol && entry.protocol !== RELEASES_SCOPE) {
      issues.push({ path: `${field}.${i}`, message: `unknown protocol "${entry.protocol}": use one of ${[...known.keys(), RELEASES_SCOPE].join(', ')}` });
      return;
    }
    const normalize = protocol?.artifact.shape === 'package' ? protocol.artifact.normalizeName : undefined;
    const resource = normalize && entry.resource !== '*' ? normalizePattern(entry.resource, normalize) : entry.resource;
    const key = `${entry.protocol}:${resource}`;
    const actions = new Set([...(merged.get(key)?.actions ?? []), ...entry.actions]);
    merged.set(key, { protocol: entry.protocol, resource, actions: SCOPE_ACTIONS.filter((a) => actions.has(a)) });
  });
  if (issues.length > 0) throw Errors.validation(`The scope is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  return [...merged.values()];
}

function normalizePattern(pattern: string, normalize: (name: string) => string): string {
  return pattern.endsWith('*') ? `${normalize(pattern.slice(0, -1))}*` : normalize(pattern);
}

/** Checks that a scope leaves the permission at least one action on each entry (a read-only token cannot push). */
export function scopeWithin(scope: readonly ScopeGrant[], permission: Permission, field = 'scope'): ScopeGrant[] {
  const allowed = permissionActions(permission);
  const narrowed = scope.map((g) => ({ ...g, actions: g.actions.filter((a) => allowed.has(a)) }));
  const empty = narrowed.findIndex((g) => g.actions.length === 0);
  if (empty >= 0) {
    const message = `"${formatScopeEntry(scope[empty] as ScopeGrant)}" grants only actions a ${permission} token does not have`;
    throw Errors.validation(`The scope is invalid: ${field}.${empty}: ${message}`, [{ path: `${field}.${empty}`, message }]);
  }
  return narrowed;
}

function permissionActions(permission: Permission): Set<string> {
  return new Set(PERMISSION_GRANTS[permission].flatMap((g) => g.actions));
}

const granted = new WeakMap<readonly ScopeGrant[], Map<Permission, readonly Grant[]>>();

/**
 * The grants of a token with this permission and scope: the permission's actions, restricted to the scope's
 * patterns (the intersection). No scope = the permission's grants. Remembered per scope array, because a
 * cached token record keeps the same array and authentication asks on every request.
 */
export function scopedGrants(permission: Permission, scope: readonly ScopeGrant[] | null | undefined): readonly Grant[] {
  if (!scope) return PERMISSION_GRANTS[permission];
  let byPermission = granted.get(scope);
  if (!byPermission) granted.set(scope, (byPermission = new Map()));
  let grants = byPermission.get(permission);
  if (!grants) {
    const allowed = permissionActions(permission);
    grants = scope
      .map((g) => ({ protocol: g.protocol, resource: g.resource, actions: g.actions.filter((a) => allowed.has(a)) }))
      .filter((g) => g.actions.length > 0);
    byPermission.set(permission, grants);
  }
  return grants;
}
