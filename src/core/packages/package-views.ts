import type { AuditLog } from '../audit/audit-log.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { InvalidationBus } from '../invalidation.js';
import type { MetadataStore } from '../ports.js';
import type { LoadedPackage } from './model.js';
import { ProjectCache, touchProject } from './project-cache.js';

/** How long a cached view is served before its stored revision is checked again (a missed event's bound). */
export const VIEW_FRESHNESS_MS = 1000;

export interface PackageViewsDeps {
  store: MetadataStore;
  clock: Clock;
  invalidations: InvalidationBus;
}

/**
 * A protocol's per-package view (Go's module, Cargo's crate, a Helm chart's index entries), built from the
 * package model once per stored revision and served from memory in between. Correct across workers and
 * replicas: a write gives the package a new revision and announces it on the invalidation bus in its
 * transaction (`changed`), so every process drops its view when the write commits; a missed event is
 * bounded by VIEW_FRESHNESS_MS, after which the revision is compared with the store's. See
 * docs/architecture.md, "Per-process caches".
 */
export class PackageViews<V> {
  private readonly cache = new ProjectCache<V>();

  constructor(
    private readonly deps: PackageViewsDeps,
    private readonly repository: string,
    private readonly build: (loaded: LoadedPackage) => V,
  ) {
    deps.invalidations.subscribe((event) => {
      if (event.kind === 'package' && event.repository === repository) this.cache.delete(event.name);
    });
  }

  /** get() when this process holds a fresh view; undefined when get() would read the store. */
  inMemory(name: string): V | undefined {
    return this.cache.fresh(name, this.deps.clock.nowMs(), VIEW_FRESHNESS_MS)?.view;
  }

  /** The package's view, or undefined when it does not exist or has no version left. */
  async get(name: string): Promise<V | undefined> {
    const now = this.deps.clock.now().getTime();
    const fresh = this.cache.fresh(name, now, VIEW_FRESHNESS_MS);
    if (fresh) return fresh.view;
    const pkg = await this.deps.store.packages.get(this.repository, name);
    if (!pkg) return undefined;
    const cached = this.cache.get(name, pkg.metadata, now);
    if (cached) return cached.view;
    const loaded = await this.deps.store.packages.load(this.repository, name);
    if (!loaded || loaded.versions.length === 0) return undefined;
    return this.cache.set(name, loaded.package.metadata, this.build(loaded), now).view;
  }

  /**
   * Records a change of the package inside the write's transaction: a new revision (pass `packageId`
   * unless the package was deleted) and the event that makes every process drop its view on commit.
   */
  changed(tx: MetadataStore, name: string, packageId: string | null): Promise<void> {
    return packageChanged(this.deps, tx, this.repository, name, packageId);
  }

  /** Drops this process's view after a committed write (an early re-read inside the transaction cannot stick). */
  forget(name: string): void {
    this.cache.delete(name);
  }
}

/**
 * Records, inside a write's transaction, that a package changed: a new revision stamp (unless the package
 * was deleted: `packageId` null) and the invalidation event every process receives when the write commits.
 */
export async function packageChanged(deps: Pick<PackageViewsDeps, 'clock' | 'invalidations'>, tx: MetadataStore, repository: string, name: string, packageId: string | null): Promise<void> {
  if (packageId !== null) await touchProject(tx, packageId, deps.clock.now());
  await deps.invalidations.publish({ kind: 'package', repository, name }, tx);
}

/** What deleting a version of a package-model package needs: the clock, the event bus and the audit log. */
export interface UnpublishDeps extends Pick<PackageViewsDeps, 'clock' | 'invalidations'> {
  audit: AuditLog;
}

/**
 * Deletes one version of a package-model package in the caller's transaction (the package goes with its
 * last version), announces the change to every process's views and audits it as `package.unpublished`.
 * Its files' blobs become garbage for `flyreg gc`. `notFound` is the protocol's error when there is no such version.
 */
export async function unpublishVersion(
  deps: UnpublishDeps,
  tx: MetadataStore,
  target: { repository: string; name: string; version: string; principal: Principal; ctx: RequestContext; notFound(): Error },
): Promise<void> {
  const { repository, name, version } = target;
  const pkg = await tx.packages.get(repository, name);
  const row = pkg && (await tx.packages.version(pkg.id, version));
  if (!pkg || !row) throw target.notFound();
  await tx.packages.deleteVersion(row.id);
  const left = await tx.packages.load(repository, name);
  const gone = left !== undefined && left.versions.length === 0;
  if (gone) await tx.packages.delete(pkg.id);
  await packageChanged(deps, tx, repository, name, gone ? null : pkg.id);
  await deps.audit.record(
    tx.audit,
    { actor: actorName(target.principal), action: 'package.unpublished', target: { type: repository, id: pkg.id, name: pkg.displayName }, details: { removedVersions: [version] } },
    target.ctx,
  );
}
