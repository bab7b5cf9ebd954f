import { z } from 'zod';
import { authorize, isAllowed } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import { formatScopeEntry, resolveScope, scopeInput, type ScopeGrant } from '../auth/scope.js';
import type { MetadataStore } from '../ports.js';
import type { CoreProtocol } from '../protocols.js';
import { parseInput } from '../validation.js';

/** Names shown per scope entry: enough to recognise a pattern's reach, bounded whatever the registry holds. */
export const PREVIEW_NAMES = 20;

export const scopePreviewInput = z.strictObject({ scope: scopeInput.unwrap() });

/** What one scope entry matches today: the first names (in name order) the caller may see. */
export interface ScopePreviewEntry {
  entry: string;
  protocol: string;
  resource: string;
  names: string[];
  /** More names match than are shown. */
  more: boolean;
}

/**
 * The live preview of the token dialog: which existing repositories and packages each pattern matches.
 * Only names the caller may pull are listed (the preview never shows more than the caller's own listings),
 * and a prefix pattern reads from its prefix on in name order, so the work per entry is one bounded query.
 */
export async function previewScope(
  deps: { store: MetadataStore; protocols: readonly CoreProtocol[] },
  actor: Principal,
  input: unknown,
): Promise<ScopePreviewEntry[]> {
  authorize(actor, 'pull', { kind: 'tokens' });
  const scope = resolveScope(parseInput(scopePreviewInput, input).scope, deps.protocols);
  return Promise.all(scope.map((entry) => previewEntry(deps, actor, entry)));
}

async function previewEntry(deps: { store: MetadataStore; protocols: readonly CoreProtocol[] }, actor: Principal, entry: ScopeGrant): Promise<ScopePreviewEntry> {
  const shown = { entry: formatScopeEntry(entry), protocol: entry.protocol, resource: entry.resource };
  const protocol = deps.protocols.find((p) => p.id === entry.protocol);
  // `releases:*` names release records, not stored artifacts: nothing to list.
  if (!protocol) return { ...shown, names: [], more: false };
  const prefix = entry.resource === '*' ? '' : entry.resource.endsWith('*') ? entry.resource.slice(0, -1) : entry.resource;
  const exact = !entry.resource.endsWith('*');
  const page = (after: { name: string; inclusive: boolean } | undefined) => {
    const query = { limit: PREVIEW_NAMES + 1, ...(after ? { after } : {}) };
    return protocol.artifact.shape === 'image' ? deps.store.catalog.ociPage(query) : deps.store.catalog.packagePage(protocol.artifact.repository, query);
  };
  const names: string[] = [];
  let after = prefix ? { name: prefix, inclusive: true } : undefined;
  // Names sort bytewise: the matches of a prefix are one run starting at it. Unreadable names are skipped,
  // so a few more pages may be read, never more than the matches themselves.
  for (;;) {
    const rows = await page(after);
    for (const row of rows) {
      if (exact ? row.name !== prefix : !row.name.startsWith(prefix)) return { ...shown, names, more: false };
      if (!isAllowed(actor, 'pull', { kind: 'artifact', protocol: entry.protocol, name: row.name })) continue;
      if (names.length === PREVIEW_NAMES) return { ...shown, names, more: true };
      names.push(row.name);
    }
    const last = rows.at(-1);
    if (rows.length <= PREVIEW_NAMES || !last) return { ...shown, names, more: false };
    after = { name: last.name, inclusive: false };
  }
}
