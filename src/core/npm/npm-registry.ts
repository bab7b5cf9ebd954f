import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize, isAllowed } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import { BlobNotFoundError, type BlobStore, type Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { LoadedPackage } from '../packages/model.js';
import type { MetadataStore } from '../ports.js';
import type { PublicationService } from '../releases/publications.js';
import { retryOnConflict } from '../packages/retry-conflicts.js';
import { parseJsonText } from './json-text.js';
import { checkPackageName, checkTag, checkVersion, isTarballFilenameOf, tarballFilename, unscopedName } from './names.js';
import { readPackageState, revisionOf, writePackageState, type NpmPackageState } from './package-state.js';
import { assemblePackument, type PackumentKind } from './packument.js';
import { PackumentCache, type RenderedPackument } from './packument-cache.js';
import { planPackumentUpdate, type PackumentChanges } from './packument-update.js';
import { checkTarballManifest } from './tarball-manifest.js';
import { parsePublishRequest } from './publish-request.js';

const REPOSITORY = 'npm';
/** What search and audit are authorized on: the listing of every package (core/auth/grants.ts, isListing). */
export const NPM_LISTING = ':packages';

export interface NpmRegistryDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  /** Told of each published version (who published it; a CI run's automatic release). */
  publications: PublicationService;
  /** Tarball URLs are built from it at read time. */
  publicUrl: URL;
  /** How long a rendered packument may be served without re-reading (bounds cross-replica staleness). */
  packumentCacheTtlMs: number;
}

export interface SearchHit {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  date: string;
}

/**
 * npm's business rules over the shared package model and the blob store: packuments (full and abbreviated),
 * tarballs, publish, dist-tags, deprecate and unpublish. Routes authorize the action they name before
 * calling in; where one request can imply a further action (an update that unpublishes), it is
 * authorized here, through the same authorize().
 */
export class NpmRegistry {
  private readonly cache: PackumentCache;
  private readonly publicBase: string;

  constructor(private readonly deps: NpmRegistryDeps) {
    this.cache = new PackumentCache(deps.packumentCacheTtlMs);
    this.publicBase = deps.publicUrl.href.replace(/\/$/, '');
  }

  /** The packument as served under `mountPath` (e.g. `/npm/`), rendered once and cached until a write. */
  async packument(name: string, kind: PackumentKind, mountPath: string): Promise<RenderedPackument> {
    checkPackageName(name);
    const rendered = await this.cache.get(name, `${kind} ${mountPath}`, this.deps.clock.now().getTime(), async () => {
      const loaded = await this.deps.store.packages.load(REPOSITORY, name);
      if (!loaded || loaded.versions.length === 0) return undefined;
      const body = Buffer.from(JSON.stringify(assemblePackument(loaded, kind, `${this.publicBase}${mountPath}`)));
      return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    });
    if (!rendered) throw Errors.notFound('Package', name);
    return rendered;
  }

  /** packument() when this process holds it rendered; undefined when it would read the store. */
  packumentInMemory(name: string, kind: PackumentKind, mountPath: string): RenderedPackument | undefined {
    return this.cache.peek(name, `${kind} ${mountPath}`, this.deps.clock.nowMs());
  }

  async distTags(name: string): Promise<Record<string, string>> {
    const pkg = await this.deps.store.packages.get(REPOSITORY, checkPackageName(name));
    if (!pkg) throw Errors.notFound('Package', name);
    const tags = await this.deps.store.packages.tags(pkg.id);
    return Object.fromEntries(tags.map((t) => [t.tag, t.version]));
  }

  /** Streams a tarball from the blob store. */
  async tarball(name: string, filename: string): Promise<{ stream: Readable; size: number }> {
    checkPackageName(name);
    if (!isTarballFilenameOf(name, filename)) throw Errors.notFound('Tarball', `${name}/-/${filename}`);
    const file = await this.deps.store.packages.file(REPOSITORY, name, filename);
    if (!file) throw Errors.notFound('Tarball', `${name}/-/${filename}`);
    try {
      // The explicit range bounds the read buffer to the tarball's size (tarballs are never empty).
      return { stream: await this.deps.blobs.open(file.blobDigest, { start: 0, end: file.size - 1 }), size: file.size };
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw Errors.notFound('Tarball content', `${name}/-/${filename}`);
      throw error;
    }
  }

  /**
   * `PUT /<name>`: with an attachment it publishes a new version; without one it is npm's packument
   * update (deprecate). `text` is the raw body: each version's manifest is stored exactly as received.
   */
  async put(principal: Principal, name: string, text: string, ctx: RequestContext): Promise<{ rev: string }> {
    checkPackageName(name);
    const body = parseJsonText(text, 'Publish body');
    // npm's own updates (deprecate) send back the packument it read, which has no _attachments; anything
    // else is a publish and must carry its tarball.
    const isUpdate = typeof body === 'object' && body !== null && !('_attachments' in body);
    if (isUpdate && (await this.deps.store.packages.get(REPOSITORY, name))) return this.update(principal, name, null, text, ctx);
    return this.publish(principal, name, text, body, ctx);
  }

  private async publish(principal: Principal, name: string, text: string, body: unknown, ctx: RequestContext): Promise<{ rev: string }> {
    const request = parsePublishRequest(name, text, body);
    await checkTarballManifest(request.tarball, request.name, request.version);
    const existing = await this.deps.store.packages.get(REPOSITORY, name);
    if (existing && (await this.deps.store.packages.version(existing.id, request.version))) throw versionExists(name, request.version);

    // Content-addressed, so storing before the metadata is harmless: until the transaction below commits
    // nothing refers to the blob, and a failed publish leaves at most an unreferenced blob for GC. Its
    // bookkeeping row is touched first, so a concurrent `flyreg gc` keeps it (core/oci/ports.ts).
    const digest: Digest = `sha256:${request.sha256}`;
    await this.deps.store.oci.touchBlob(digest, this.deps.clock.now());
    const blob = await this.deps.blobs.put(Readable.from([request.tarball]), digest);
    const now = this.deps.clock.now();
    const write = () =>
      this.deps.store.transaction(async (tx) => {
        const pkg = await tx.packages.ensure(REPOSITORY, name, name, now);
        // Publishes of one package run one after another from here (its tags and revision are read, then written).
        await tx.packages.lock(pkg.id);
        const version = await tx.packages.insertVersion(pkg.id, request.version, request.manifestText, now);
        await tx.packages.insertFile(
          pkg.id,
          version.id,
          {
            filename: tarballFilename(name, request.version),
            blobDigest: blob.digest,
            size: blob.size,
            metadata: JSON.stringify({ integrity: request.integrity, shasum: request.shasum }),
          },
          now,
        );
        // `npm publish --tag beta` of a package's first version still needs a latest for plain installs.
        const tags = [...request.tags];
        if (!tags.includes('latest') && !(await tx.packages.tags(pkg.id)).some((t) => t.tag === 'latest')) tags.push('latest');
        for (const tag of tags) await tx.packages.setTag(pkg.id, tag, request.version);
        await this.deps.audit.record(
          tx.audit,
          { actor: actorName(principal), action: 'package.published', target: { type: 'npm', id: pkg.id, name }, details: { version: request.version, tags } },
          ctx,
        );
        return this.commitState(tx, name, () => undefined);
      });
    // Several versions published at once race to create the package: a loser runs again and finds it. A
    // version published meanwhile is the client's own conflict, answered at once.
    const rev = await retryOnConflict(write, async () => !(await this.versionPublished(name, request.version)));
    // npm shows the publisher as `_npmUser` and the package's publishers as `maintainers` (npm owner ls): the
    // publication is recorded before the cached packument is dropped, so the next one read carries it.
    await this.deps.publications.record(principal, { type: 'npm', name, version: request.version }, ctx);
    this.cache.invalidate(name);
    return { rev };
  }

  /** `PUT /<name>/-rev/<rev>` (and a PUT without attachment): deprecate, unpublish versions, move tags. */
  async update(principal: Principal, name: string, rev: string | null, text: string, ctx: RequestContext): Promise<{ rev: string }> {
    checkPackageName(name);
    const body = parseJsonText(text, 'Packument update');
    const result = await this.deps.store.transaction(async (tx) => {
      const loaded = await this.loadForWrite(tx, name, rev ?? bodyRev(body));
      const state = readPackageState(loaded.package.metadata);
      const changes = planPackumentUpdate(loaded, state, body);
      if (changes.remove.length > 0) authorize(principal, 'delete', { kind: 'artifact', protocol: 'npm', name });
      if (changes.remove.length === loaded.versions.length) {
        await tx.packages.delete(loaded.package.id);
        await this.auditUnpublish(tx, principal, loaded, changes.remove, ctx);
        return { rev: '0-deleted' };
      }
      await this.applyChanges(tx, loaded, changes);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(principal),
          action: changes.remove.length > 0 ? 'package.unpublished' : 'package.changed',
          target: { type: 'npm', id: loaded.package.id, name },
          details: { removedVersions: changes.remove, deprecated: Object.keys(changes.deprecated), tags: changes.tags },
        },
        ctx,
      );
      return { rev: await this.commitState(tx, name, (s) => (s.deprecated = changes.deprecated)) };
    });
    this.cache.invalidate(name);
    return result;
  }

  async setDistTag(principal: Principal, name: string, tag: string, text: string, ctx: RequestContext): Promise<Record<string, string>> {
    checkPackageName(name);
    checkTag(tag);
    const target = parseJsonText(text, 'dist-tag body');
    if (typeof target !== 'string') throw Errors.validation('Send the version as a JSON string, e.g. "1.2.3"', [{ path: '(root)', message: 'must be a JSON string' }]);
    const version = checkVersion(target);
    const tags = await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.get(REPOSITORY, name);
      if (!pkg) throw Errors.notFound('Package', name);
      if (!(await tx.packages.version(pkg.id, version))) throw Errors.notFound('Version', `${name}@${version}`);
      await tx.packages.setTag(pkg.id, tag, version);
      await this.deps.audit.record(tx.audit, { actor: actorName(principal), action: 'package.tag_set', target: { type: 'npm', id: pkg.id, name }, details: { tag, version } }, ctx);
      await this.commitState(tx, name, () => undefined);
      return tx.packages.tags(pkg.id);
    });
    this.cache.invalidate(name);
    return Object.fromEntries(tags.map((t) => [t.tag, t.version]));
  }

  async removeDistTag(principal: Principal, name: string, tag: string, ctx: RequestContext): Promise<Record<string, string>> {
    checkPackageName(name);
    checkTag(tag);
    if (tag === 'latest') throw Errors.validation('The latest dist-tag cannot be removed: point it at another version instead', [{ path: 'tag', message: 'latest is required' }]);
    const tags = await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.get(REPOSITORY, name);
      if (!pkg) throw Errors.notFound('Package', name);
      const before = await tx.packages.tags(pkg.id);
      if (!before.some((t) => t.tag === tag)) throw Errors.notFound('dist-tag', `${name}@${tag}`);
      await tx.packages.deleteTag(pkg.id, tag);
      const version = before.find((t) => t.tag === tag)?.version ?? null;
      await this.deps.audit.record(tx.audit, { actor: actorName(principal), action: 'package.tag_removed', target: { type: 'npm', id: pkg.id, name }, details: { tag, version } }, ctx);
      await this.commitState(tx, name, () => undefined);
      return tx.packages.tags(pkg.id);
    });
    this.cache.invalidate(name);
    return Object.fromEntries(tags.map((t) => [t.tag, t.version]));
  }

  /** `DELETE /<name>/-rev/<rev>`: the whole package. Blobs stay until garbage collection (others may share them). */
  async unpublishPackage(principal: Principal, name: string, rev: string, ctx: RequestContext): Promise<void> {
    checkPackageName(name);
    await this.deps.store.transaction(async (tx) => {
      const loaded = await this.loadForWrite(tx, name, rev);
      await tx.packages.delete(loaded.package.id);
      await this.auditUnpublish(tx, principal, loaded, loaded.versions.map((v) => v.version), ctx);
    });
    this.cache.invalidate(name);
  }

  /**
   * `DELETE /<name>/-/<file>/-rev/<rev>`: npm's last step of unpublishing a version, after its PUT already
   * removed the version (then this answers 404, which npm expects). Removing a tarball whose version is
   * still published unpublishes that version: a version without its tarball could not be installed.
   */
  async removeTarball(principal: Principal, name: string, filename: string, rev: string, ctx: RequestContext): Promise<{ rev: string }> {
    checkPackageName(name);
    if (!isTarballFilenameOf(name, filename)) throw Errors.notFound('Tarball', `${name}/-/${filename}`);
    const version = filename.slice(unscopedName(name).length + 1, -'.tgz'.length);
    const result = await this.deps.store.transaction(async (tx) => {
      const loaded = await this.loadForWrite(tx, name, rev);
      if (!loaded.versions.some((v) => v.version === version)) throw Errors.notFound('Tarball', `${name}/-/${filename}`);
      if (loaded.versions.length === 1) {
        await tx.packages.delete(loaded.package.id);
        await this.auditUnpublish(tx, principal, loaded, [version], ctx);
        return { rev: '0-deleted' };
      }
      const state = readPackageState(loaded.package.metadata);
      const kept = Object.fromEntries(loaded.versions.filter((v) => v.version !== version).map((v) => [v.version, {}]));
      const changes = planPackumentUpdate(loaded, state, { versions: kept });
      await this.applyChanges(tx, loaded, changes);
      await this.auditUnpublish(tx, principal, loaded, [version], ctx);
      return { rev: await this.commitState(tx, name, (s) => (s.deprecated = changes.deprecated)) };
    });
    this.cache.invalidate(name);
    return result;
  }

  /**
   * Case-insensitive substring search over package names, with each package's latest summary: only the
   * packages the principal may pull (a scoped token sees its own), `from` and `size` counted among those.
   */
  async search(principal: Principal, text: string, size: number, from: number): Promise<SearchHit[]> {
    const mayPull = (name: string) => isAllowed(principal, 'pull', { kind: 'artifact', protocol: REPOSITORY, name });
    const hits: SearchHit[] = [];
    let skipped = 0;
    const batch = Math.min(Math.max(size + from, 100), 1000);
    for (let offset = 0; ; offset += batch) {
      const packages = await this.deps.store.packages.search(REPOSITORY, { text: text || undefined, limit: batch, offset });
      for (const p of packages) {
        if (!mayPull(p.name)) continue;
        if (skipped < from) {
          skipped++;
          continue;
        }
        const { summary } = readPackageState(p.metadata);
        if (summary) hits.push({ name: p.name, ...summary, date: p.updatedAt.toISOString() });
        if (hits.length === size) return hits;
      }
      if (packages.length < batch) return hits;
    }
  }

  private async loadForWrite(tx: MetadataStore, name: string, rev: string | undefined): Promise<LoadedPackage> {
    const loaded = await lockedLoad(tx, name);
    if (!loaded) throw Errors.notFound('Package', name);
    const current = revisionOf(loaded.package.id, readPackageState(loaded.package.metadata));
    if (rev !== undefined && rev !== current) {
      throw Errors.conflict(`Package ${name} changed since it was read (revision ${rev}, now ${current}): fetch it again and retry`);
    }
    return loaded;
  }

  private async applyChanges(tx: MetadataStore, loaded: LoadedPackage, changes: PackumentChanges): Promise<void> {
    for (const v of loaded.versions) if (changes.remove.includes(v.version)) await tx.packages.deleteVersion(v.id);
    for (const t of loaded.tags) if (changes.tags[t.tag] === undefined) await tx.packages.deleteTag(loaded.package.id, t.tag);
    for (const [tag, version] of Object.entries(changes.tags)) {
      if (loaded.tags.find((t) => t.tag === tag)?.version !== version) await tx.packages.setTag(loaded.package.id, tag, version);
    }
  }

  /** Bumps the revision and refreshes the search summary, after `mutate` applied the write's own state change. */
  private async commitState(tx: MetadataStore, name: string, mutate: (state: NpmPackageState) => void): Promise<string> {
    const loaded = await lockedLoad(tx, name);
    if (!loaded) throw new Error(`package ${name} vanished inside its own write`);
    const state = readPackageState(loaded.package.metadata);
    mutate(state);
    state.rev += 1;
    state.summary = summaryOf(loaded);
    await tx.packages.setPackageMetadata(loaded.package.id, writePackageState(state), this.deps.clock.now());
    return revisionOf(loaded.package.id, state);
  }

  private async versionPublished(name: string, version: string): Promise<boolean> {
    const pkg = await this.deps.store.packages.get(REPOSITORY, name);
    return pkg !== undefined && (await this.deps.store.packages.version(pkg.id, version)) !== undefined;
  }

  private auditUnpublish(tx: MetadataStore, principal: Principal, loaded: LoadedPackage, versions: string[], ctx: RequestContext): Promise<void> {
    return this.deps.audit.record(
      tx.audit,
      { actor: actorName(principal), action: 'package.unpublished', target: { type: 'npm', id: loaded.package.id, name: loaded.package.name }, details: { versions } },
      ctx,
    );
  }
}

/**
 * The package as it stands once this transaction holds it: a concurrent write to it (on PostgreSQL) is then
 * either committed and seen here, or waits for this one, so the revision counter never loses a step.
 */
async function lockedLoad(tx: MetadataStore, name: string): Promise<LoadedPackage | undefined> {
  const pkg = await tx.packages.get(REPOSITORY, name);
  if (!pkg) return undefined;
  await tx.packages.lock(pkg.id);
  return tx.packages.load(REPOSITORY, name);
}

function summaryOf(loaded: LoadedPackage): NpmPackageState['summary'] {
  const latest = loaded.tags.find((t) => t.tag === 'latest')?.version;
  const record = loaded.versions.find((v) => v.version === latest) ?? loaded.versions.at(-1);
  if (!record) return null;
  const manifest = JSON.parse(record.metadata) as { description?: unknown; keywords?: unknown };
  return {
    version: record.version,
    description: typeof manifest.description === 'string' ? manifest.description.slice(0, 1000) : undefined,
    keywords: Array.isArray(manifest.keywords) ? manifest.keywords.filter((k): k is string => typeof k === 'string').slice(0, 50) : undefined,
  };
}

function bodyRev(body: unknown): string | undefined {
  const rev = (body as { _rev?: unknown })._rev;
  return typeof rev === 'string' ? rev : undefined;
}

function versionExists(name: string, version: string) {
  return Errors.conflict(`${name}@${version} is already published: versions are immutable, publish a new version`);
}

