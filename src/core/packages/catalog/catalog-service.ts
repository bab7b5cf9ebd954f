import { isAllowed } from '../../auth/authorize.js';
import type { Principal, RequestContext } from '../../auth/principal.js';
import { Errors } from '../../errors.js';
import type { MetadataStore } from '../../ports.js';
import type { CatalogCursor, CatalogDetail, CatalogEntry, CatalogQuery } from './model.js';
import type { CatalogPageQuery } from './ports.js';
import type { CatalogProvider } from './provider.js';

/** What listing the Packages section is authorized on (core/auth/grants.ts, isListing): a grant on any entry reaches it. */
const CATALOG_LISTING = ':packages';

/** Runs of an image listed under "where it runs" on a package page. */
const DEPLOYMENTS_SHOWN = 200;
const RELEASES_SHOWN = 50;

export interface CatalogPage {
  entries: CatalogEntry[];
  /** Where the next page starts, or null at the end. */
  next: CatalogCursor | null;
}

/** Bytewise order, as the store sorts names: by name, then protocol. */
function compareEntries(a: { name: string; protocol: string }, b: { name: string; protocol: string }): number {
  if (a.name !== b.name) return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}

/**
 * The Packages section: everything the registry stores, across protocols, through one provider per
 * protocol. A page asks each (filtered) provider for `limit` entries after the cursor (one statement
 * each) and merges them by name, so the cost of a page does not grow with the number of packages.
 */
export class PackageCatalog {
  private readonly byProtocol: Map<string, CatalogProvider>;

  constructor(
    private readonly store: MetadataStore,
    readonly providers: CatalogProvider[],
  ) {
    this.byProtocol = new Map(providers.map((p) => [p.protocol, p]));
  }

  protocols(): { protocol: string; label: string }[] {
    return this.providers.map((p) => ({ protocol: p.protocol, label: p.label }));
  }

  private provider(protocol: string): CatalogProvider {
    const provider = this.byProtocol.get(protocol);
    if (!provider) throw Errors.notFound('Protocol', protocol);
    return provider;
  }

  async list(principal: Principal, query: CatalogQuery & { protocol?: string }): Promise<CatalogPage> {
    // A named protocol the principal cannot reach at all is refused; otherwise unreachable ones are left out.
    if (query.protocol) this.provider(query.protocol).authorizeView(principal, CATALOG_LISTING);
    const providers = (query.protocol ? [this.provider(query.protocol)] : this.providers).filter((p) =>
      isAllowed(principal, 'pull', { kind: 'artifact', protocol: p.protocol, name: CATALOG_LISTING }),
    );
    const pages = await Promise.all(
      providers.map(async (provider) => {
        // Within one provider the protocol is fixed: the cursor's own name is still due when this
        // provider's protocol sorts after the cursor's.
        const after = query.after && { name: query.after.name, inclusive: provider.protocol > query.after.protocol };
        const rows = await this.visiblePage(principal, provider, query.text, after, query.limit + 1);
        return rows.map((row) => ({ ...row, protocol: provider.protocol }));
      }),
    );
    const merged = pages.flat().sort(compareEntries);
    const entries = merged.slice(0, query.limit);
    const last = entries.at(-1);
    return { entries, next: merged.length > query.limit && last ? { name: last.name, protocol: last.protocol } : null };
  }

  /**
   * Up to `limit` rows of one provider after `after` that the principal may pull. A scoped token's rows are
   * filtered one by one, reading further batches until the page is full or the provider runs out.
   */
  private async visiblePage(
    principal: Principal,
    provider: CatalogProvider,
    text: string | undefined,
    after: CatalogPageQuery['after'],
    limit: number,
  ): Promise<Omit<CatalogEntry, 'protocol'>[]> {
    const visible: Omit<CatalogEntry, 'protocol'>[] = [];
    for (let cursor = after; ; ) {
      const rows = await provider.page(this.store, { text, after: cursor, limit });
      for (const row of rows) {
        if (isAllowed(principal, 'pull', { kind: 'artifact', protocol: provider.protocol, name: row.name })) visible.push(row);
        if (visible.length === limit) return visible;
      }
      const last = rows.at(-1);
      if (rows.length < limit || !last) return visible;
      cursor = { name: last.name, inclusive: false };
    }
  }

  async get(principal: Principal, protocol: string, name: string): Promise<CatalogDetail> {
    const provider = this.provider(protocol);
    provider.authorizeView(principal, name);
    const found = await provider.detail(this.store, name);
    if (!found) throw Errors.notFound('Package', `${protocol}:${name}`);
    const [deployments, releases] = await Promise.all([
      found.deploymentRepository ? this.store.catalog.deploymentsOf(found.deploymentRepository, DEPLOYMENTS_SHOWN) : [],
      this.store.releases.search({ artifact: found.entry.name, limit: RELEASES_SHOWN }),
    ]);
    return {
      entry: { ...found.entry, protocol },
      versions: found.versions,
      truncated: found.truncated,
      deployments,
      releases: releases.filter((r) => r.artifacts.some((a) => a.type === protocol && ('repository' in a ? a.repository : a.name) === found.entry.name)),
      actions: Object.entries(provider.actions)
        .filter(([, action]) => action.allowed(principal, found.entry.name))
        .map(([name]) => name),
    };
  }

  async act(principal: Principal, protocol: string, name: string, action: string, input: { version: string; message?: string }, ctx: RequestContext): Promise<void> {
    const run = this.provider(protocol).actions[action];
    if (!run) throw Errors.notFound('Action', `${protocol} ${action}`);
    await run.run(principal, name, input, ctx);
  }
}
