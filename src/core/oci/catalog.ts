import { isAllowed } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import type { MetadataStore } from '../ports.js';

/** `_catalog`: repository names in order, only those the caller may pull, paginated with n/last. */
export async function listCatalog(
  store: MetadataStore,
  principal: Principal,
  limit: number,
  last: string | undefined,
): Promise<{ repositories: string[]; more: boolean }> {
  const visible: string[] = [];
  let after = last;
  const batch = Math.min(Math.max(limit + 1, 100), 1000);
  // Reads in batches until a page (plus one, to know whether more exist) of visible names is found.
  for (;;) {
    const names = await store.oci.listRepositories(after, batch);
    for (const name of names) {
      if (isAllowed(principal, 'pull', { kind: 'artifact', protocol: 'oci', name })) visible.push(name);
      if (visible.length > limit) return { repositories: visible.slice(0, limit), more: true };
    }
    if (names.length < batch) return { repositories: visible, more: false };
    after = names[names.length - 1];
  }
}
