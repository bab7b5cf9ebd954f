import { authorize, isAllowed } from '../../../auth/authorize.js';
import type { Principal, RequestContext } from '../../../auth/principal.js';
import type { Action } from '../../../model.js';
import type { LoadedPackage, PackageRepository } from '../../model.js';
import type { MetadataStore } from '../../../ports.js';
import { readPublisher } from '../../publisher.js';
import type { CatalogVersion } from '../model.js';
import type { CatalogAction, CatalogProvider, ProviderDetail } from '../provider.js';

/** What differs between protocols built on the shared package model, for the Packages section. */
export interface PackageModelView {
  /** The file kind shown for a file (`tarball`, `wheel`, `sdist`…). */
  kindOf(filename: string): string;
  install(displayName: string, version: string): string;
  /** The deprecation message (npm) of a version, from the package's metadata. */
  deprecated?(packageMetadata: string, version: string): string | null;
  /** The yank reason (PyPI) of a version, from the version's metadata; null when not yanked. */
  yanked?(versionMetadata: string): string | null;
}

/** Newest versions shown on a package page; the rest are counted, not listed. */
export const VERSIONS_SHOWN = 200;

/** A package-model package as the Packages section shows it: versions newest first, with files and tags. */
export async function packageModelDetail(store: MetadataStore, repository: PackageRepository, name: string, view: PackageModelView): Promise<ProviderDetail | undefined> {
  const loaded: LoadedPackage | undefined = await store.packages.load(repository, name);
  if (!loaded) return undefined;
  const { package: pkg } = loaded;
  const tagsByVersion = new Map<string, string[]>();
  for (const t of loaded.tags) tagsByVersion.set(t.version, [...(tagsByVersion.get(t.version) ?? []), t.tag]);
  const filesByVersion = new Map<string, LoadedPackage['files']>();
  for (const f of loaded.files) filesByVersion.set(f.versionId, [...(filesByVersion.get(f.versionId) ?? []), f]);
  const newestFirst = [...loaded.versions].reverse();
  const versions: CatalogVersion[] = newestFirst.slice(0, VERSIONS_SHOWN).map((v) => {
    const files = filesByVersion.get(v.id) ?? [];
    return {
      id: v.version,
      tags: tagsByVersion.get(v.version) ?? [],
      digest: files.length === 1 ? (files[0]?.blobDigest ?? null) : null,
      size: files.reduce((sum, f) => sum + f.size, 0),
      kind: [...new Set(files.map((f) => view.kindOf(f.filename)))].join(', '),
      platforms: [],
      createdAt: v.createdAt,
      publishedBy: readPublisher(v.publishedBy),
      deprecated: view.deprecated?.(pkg.metadata, v.version) ?? null,
      yanked: view.yanked?.(v.metadata) ?? null,
      install: view.install(pkg.displayName, v.version),
      files: files.map((f) => ({ filename: f.filename, size: f.size, digest: f.blobDigest })),
    };
  });
  const latest = loaded.tags.find((t) => t.tag === 'latest')?.version ?? newestFirst[0]?.version ?? null;
  return {
    entry: { name: pkg.name, displayName: pkg.displayName, versionCount: loaded.versions.length, latest, updatedAt: pkg.updatedAt },
    versions,
    truncated: loaded.versions.length > VERSIONS_SHOWN,
    deploymentRepository: null,
  };
}

/** A protocol on the shared package model, as the Packages section needs to know it. */
export interface PackageModelProtocol extends PackageModelView {
  /** The protocol id, which is also its repository in the shared package model. */
  protocol: PackageRepository;
  label: string;
  actions?: Record<string, CatalogAction>;
}

/**
 * The Packages section's provider for a protocol on the shared package model: listing, search, paging
 * and the package page are the same for all of them; only the view (file kinds, install command,
 * deprecation/yank) and the actions differ.
 */
export function packageModelProvider(spec: PackageModelProtocol): CatalogProvider {
  const { protocol, label, actions = {} } = spec;
  return {
    protocol,
    label,
    authorizeView: (p, name) => authorize(p, 'pull', { kind: 'artifact', protocol, name }),
    page: (store, query) => store.catalog.packagePage(protocol, query),
    detail: (store, name) => packageModelDetail(store, protocol, name, spec),
    actions,
  };
}

/**
 * A Packages-section action that needs `action` on the artifact: offered only to who may, authorized
 * again when run (the service behind `run` may authorize too; twice is harmless, never zero).
 */
export function guardedAction(
  protocol: string,
  action: Action,
  run: (principal: Principal, name: string, input: { version: string; message?: string }, ctx: RequestContext) => Promise<unknown>,
): CatalogAction {
  const resource = (name: string) => ({ kind: 'artifact', protocol, name }) as const;
  return {
    allowed: (p, name) => isAllowed(p, action, resource(name)),
    run: async (p, name, input, ctx) => {
      authorize(p, action, resource(name));
      await run(p, name, input, ctx);
    },
  };
}

/** The kind of a file as its extension says (`jar`, `pom`, `tgz`…), or `file` when it has none. */
export function extensionKind(filename: string): string {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : 'file';
}
