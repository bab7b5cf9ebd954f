import type { ProtocolServiceDeps } from '../protocols.js';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';
import type { LoadedPackage } from '../packages/model.js';
import { discardCreated, storeUpload, type StoredUpload } from '../packages/stored-upload.js';
import { entityTag } from '../packages/project-cache.js';
import { PackageViews, unpublishVersion } from '../packages/package-views.js';
import { checkCrateArchive } from './crate-archive.js';
import { indexEntry, indexEntrySchema, parsePublishMetadata } from './index-entry.js';
import { checkCrateName, checkCrateVersion, normalizeCrateName } from './names.js';
import { PublishBody } from './publish-body.js';

export const CARGO_REPOSITORY = 'cargo';
/**
 * What the routes acting on no one crate authorize (a listing, grants.ts): `index/config.json`, which any
 * crate's reader needs, and publish, which then authorizes the crate its metadata names.
 */
export const CARGO_LISTING = ':crates';
/** crates.io's default limit for a .crate file. */
export const MAX_CRATE_BYTES = 10 * 1024 * 1024;
const MAX_METADATA_BYTES = 1024 * 1024;

/** `publishedBy`: Rows stored before publishers had one record (publications) still carry it; it is no longer written nor read. */
const versionMetadataSchema = z.object({ entry: indexEntrySchema, yanked: z.boolean(), publishedBy: z.string().optional() });
type CrateVersionMetadata = z.infer<typeof versionMetadataSchema>;

export function readVersionMetadata(text: string): CrateVersionMetadata {
  const parsed = versionMetadataSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw Errors.unavailable('A stored crate version has malformed metadata');
  return parsed.data;
}

export const crateFilename = (name: string, version: string) => `${name}-${version}.crate`;

/** One crate as the sparse index serves it, built once per stored revision. */
export interface CrateView {
  /** The name as published (the index file lives at its lower-cased form). */
  name: string;
  /** The index file: one JSON line per version, in publication order. */
  index: string;
  /** Entity tag of the index file, so cargo's conditional requests get 304 until a write. */
  etag: string;
  files: Map<string, { digest: Digest; size: number }>;
}

function crateView(loaded: LoadedPackage): CrateView {
  const files = new Map(loaded.files.map((f) => [f.versionId, f]));
  const versions = [...loaded.versions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const lines: string[] = [];
  const byVersion = new Map<string, { digest: Digest; size: number }>();
  for (const v of versions) {
    const meta = readVersionMetadata(v.metadata);
    const { name, vers, deps, cksum, features, ...rest } = meta.entry;
    lines.push(`${JSON.stringify({ name, vers, deps, cksum, features, yanked: meta.yanked, ...rest })}\n`);
    const file = files.get(v.id);
    if (file) byVersion.set(v.version, { digest: file.blobDigest, size: file.size });
  }
  const index = lines.join('');
  return { name: loaded.package.displayName, index, etag: entityTag(index), files: byVersion };
}

/** What every protocol's service is built from (core/protocols.ts), less the public URL it does not use. */
export type CratesDeps = Omit<ProtocolServiceDeps, 'publicUrl'>;

/**
 * Cargo crates over the shared package model: one package per normalised crate name, a version per
 * publish with its index entry (built at publish from cargo's metadata) and its .crate file. Reads go
 * through a per-crate view cached per stored revision. Authorization happens in the route guard, except
 * for publish (its route names no crate: the metadata does), yank and delete, which authorize themselves.
 */
export class Crates {
  private readonly views: PackageViews<CrateView>;

  constructor(private readonly deps: CratesDeps) {
    this.views = new PackageViews(deps, CARGO_REPOSITORY, crateView);
  }

  /** A crate by the name in an index path or download URL (any spelling that normalises to it). */
  async crate(name: string): Promise<CrateView> {
    const view = await this.views.get(normalizeCrateName(name));
    if (!view) throw Errors.notFound('Crate', name);
    return view;
  }

  /** crate() when this process holds the crate's view; undefined when crate() would read the store. */
  crateInMemory(name: string): CrateView | undefined {
    return this.views.inMemory(normalizeCrateName(name));
  }

  async download(name: string, version: string): Promise<{ digest: Digest; size: number }> {
    const file = (await this.crate(name)).files.get(version);
    if (!file) throw Errors.notFound('Crate version', `${name}@${version}`);
    return file;
  }

  /**
   * `cargo publish`: reads the metadata, streams the .crate into the blob store, checks the archive
   * against the metadata, and writes the version in one transaction. On failure nothing stays visible.
   */
  async publish(principal: Principal, body: Readable, ctx: RequestContext): Promise<{ name: string; version: string }> {
    const reader = new PublishBody(body);
    const meta = parsePublishMetadata(await reader.json(MAX_METADATA_BYTES));
    checkCrateName(meta.name);
    checkCrateVersion(meta.vers);
    for (const dep of meta.deps) checkCrateName(dep.name);
    const key = normalizeCrateName(meta.name);
    // The route only checked that the caller may publish some crate; the .crate is not read before this.
    authorize(principal, 'push', { kind: 'artifact', protocol: 'cargo', name: key });
    await this.refuseExisting(key, meta.name, meta.vers);
    let crate: StoredUpload | undefined;
    try {
      const length = await reader.length('.crate file', MAX_CRATE_BYTES);
      crate = await storeUpload(this.deps.blobs, reader.stream(length), length);
      if (crate.size !== length) throw Errors.validation('The .crate file is shorter than its declared length');
      await reader.end();
      await checkCrateArchive(this.deps.blobs, crate.digest, meta.name, meta.vers);
      const metadata: CrateVersionMetadata = {
        entry: indexEntry(meta, crate.digest.slice('sha256:'.length)),
        yanked: false,
      };
      const stored = crate;
      const now = this.deps.clock.now();
      await this.deps.store.transaction(async (tx) => {
        const pkg = await tx.packages.ensure(CARGO_REPOSITORY, key, meta.name, now);
        if (pkg.displayName !== meta.name) throw Errors.conflict(`crate ${meta.name} is already published as ${pkg.displayName}: crate names ignore case and -/_`);
        if (await tx.packages.version(pkg.id, meta.vers)) throw Errors.conflict(`crate version ${meta.name}@${meta.vers} already exists`);
        const row = await tx.packages.insertVersion(pkg.id, meta.vers, JSON.stringify(metadata), now);
        await tx.packages.insertFile(pkg.id, row.id, { filename: crateFilename(meta.name, meta.vers), blobDigest: stored.digest, size: stored.size, metadata: '{}' }, now);
        await this.views.changed(tx, key, pkg.id);
        await this.deps.audit.record(
          tx.audit,
          { actor: actorName(principal), action: 'package.published', target: { type: 'cargo', id: pkg.id, name: meta.name }, details: { version: meta.vers, cksum: metadata.entry.cksum } },
          ctx,
        );
      });
      await this.deps.publications.record(principal, { type: 'cargo', name: key, version: meta.vers }, ctx);
      this.views.forget(key);
      return { name: meta.name, version: meta.vers };
    } catch (error) {
      if (!(isAppError(error) && error.code === 'conflict')) await discardCreated(this.deps.blobs, [crate]);
      throw error;
    }
  }

  private async refuseExisting(key: string, name: string, version: string): Promise<void> {
    const pkg = await this.deps.store.packages.get(CARGO_REPOSITORY, key);
    if (!pkg) return;
    if (pkg.displayName !== name) throw Errors.conflict(`crate ${name} is already published as ${pkg.displayName}: crate names ignore case and -/_`);
    if (await this.deps.store.packages.version(pkg.id, version)) throw Errors.conflict(`crate version ${name}@${version} already exists`);
  }

  /** `cargo yank` / `cargo yank --undo`: the version stays downloadable for existing lock files. */
  async setYanked(principal: Principal, name: string, version: string, yanked: boolean, ctx: RequestContext): Promise<void> {
    authorize(principal, 'push', { kind: 'artifact', protocol: 'cargo', name: normalizeCrateName(name) });
    const key = normalizeCrateName(name);
    await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.get(CARGO_REPOSITORY, key);
      const row = pkg && (await tx.packages.version(pkg.id, version));
      if (!pkg || !row) throw Errors.notFound('Crate version', `${name}@${version}`);
      const meta = readVersionMetadata(row.metadata);
      await tx.packages.setVersionMetadata(row.id, JSON.stringify({ ...meta, yanked }));
      await this.views.changed(tx, key, pkg.id);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.changed', target: { type: 'cargo', id: pkg.id, name: pkg.displayName }, details: { version, yanked } },
        ctx,
      );
    });
    this.views.forget(key);
  }

  /** Deletes a version (an administrator's cleanup: cargo itself only yanks); its .crate becomes garbage for `flyreg gc`. */
  async deleteVersion(principal: Principal, name: string, version: string, ctx: RequestContext): Promise<void> {
    const key = normalizeCrateName(name);
    authorize(principal, 'delete', { kind: 'artifact', protocol: 'cargo', name: key });
    await this.deps.store.transaction((tx) =>
      unpublishVersion(this.deps, tx, { repository: CARGO_REPOSITORY, name: key, version, principal, ctx, notFound: () => Errors.notFound('Crate version', `${name}@${version}`) }),
    );
    this.views.forget(key);
  }
}
