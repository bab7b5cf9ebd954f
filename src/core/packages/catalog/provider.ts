import type { Principal, RequestContext } from '../../auth/principal.js';
import type { MetadataStore } from '../../ports.js';
import type { CatalogEntry, CatalogVersion } from './model.js';
import type { CatalogPageQuery } from './ports.js';

/** What a provider knows about one entry; the catalog adds deployments, releases and allowed actions. */
export interface ProviderDetail {
  entry: Omit<CatalogEntry, 'protocol'>;
  versions: CatalogVersion[];
  truncated: boolean;
  /** The OCI repository whose deployments are "where it runs" (images only). */
  deploymentRepository: string | null;
}

/** A change the Packages section can make to one version (OCI: a tag or digest). */
export interface CatalogAction {
  /** May this principal do it? Used to offer only the buttons that will work; run() authorizes again. */
  allowed(principal: Principal, name: string): boolean;
  /** `message` is the deprecation message or yank reason where the action takes one. */
  run(principal: Principal, name: string, input: { version: string; message?: string }, ctx: RequestContext): Promise<void>;
}

/**
 * One protocol's part of the Packages section. Adding a protocol to the dashboard means writing one of
 * these and listing it in catalog-service.ts's providers: the list, search, paging, page and actions follow.
 */
export interface CatalogProvider {
  /** The protocol's id in URLs and filters (`oci`, `npm`, `pypi`…). */
  protocol: string;
  /** How people call it (`Docker / OCI`, `npm`, `PyPI`). */
  label: string;
  /** Throws unless the principal may see this entry (authorize(…, 'pull', …) on the protocol's artifact). */
  authorizeView(principal: Principal, name: string): void;
  page(store: MetadataStore, query: CatalogPageQuery): Promise<Omit<CatalogEntry, 'protocol'>[]>;
  detail(store: MetadataStore, name: string): Promise<ProviderDetail | undefined>;
  /** Actions by name: `delete`, `deprecate`, `undeprecate`, `yank`, `unyank`… */
  actions: Record<string, CatalogAction>;
}
