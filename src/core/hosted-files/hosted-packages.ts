import type { PublicationService } from '../releases/publications.js';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { BlobStore, ByteRange, Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import { parseRange } from '../oci/blobs.js';
import type { FileRecord, LoadedPackage, PackageRepository } from '../packages/model.js';
import { isConflict, retryOnConflict } from '../packages/retry-conflicts.js';
import type { MetadataStore } from '../ports.js';
import { touchProject } from '../packages/project-cache.js';
import { verifyChecksums, type ChecksumAlgorithm, type Checksums, type ReceivedFile } from './checksums.js';
import { LoadedPackageCache } from './package-cache.js';

/** Attempts at writing a file's records when concurrent deploys of the same package collide. */

const fileMetadataSchema = z.object({
  checksums: z.object({ md5: z.string(), sha1: z.string(), sha256: z.string(), sha512: z.string() }),
  deployedBy: z.string(),
});

export interface HostedFile {
  record: FileRecord;
  checksums: Checksums;
}

export interface Download {
  file: HostedFile;
  size: number;
  range?: ByteRange;
  stream: Readable;
}

export interface StoreFileInput {
  principal: Principal;
  ctx: RequestContext;
  name: string;
  version: string;
  filename: string;
  received: ReceivedFile;
  /** Checksums the client declared (X-Checksum-* headers); a mismatch stores nothing. */
  declared: Partial<Record<ChecksumAlgorithm, string>>;
  /** What an existing file of this name means: replace it (a snapshot) or refuse (immutable). */
  existing: 'replace' | { refuse: string };
  /** A last check of the committed bytes (a pom must be XML) before the records are written. */
  validate?: (digest: Digest, size: number) => Promise<void>;
}

export interface HostedPackagesDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  /** Records who published each version (the one record the Packages section and releases read). */
  publications: PublicationService;
}

export function fileChecksums(record: FileRecord): Checksums {
  return fileMetadataSchema.parse(JSON.parse(record.metadata)).checksums;
}

/**
 * Files hosted by path in the shared package model (Maven repositories, generic files): packages →
 * versions → files → content-addressed blobs. Checksums are computed while the bytes stream in, verified
 * against what the client declared, and kept with the file so every companion is served without reading
 * the bytes again. Reads come from a per-package cache; every write gives the package a new revision.
 */
export class HostedPackages {
  readonly cache: LoadedPackageCache;

  constructor(
    private readonly deps: HostedPackagesDeps,
    readonly repository: PackageRepository,
  ) {
    this.cache = new LoadedPackageCache(deps.store, repository);
  }

  /** The blob store files stream into (receiveFile). */
  get blobs(): BlobStore {
    return this.deps.blobs;
  }

  async loaded(name: string): Promise<{ loaded: LoadedPackage; rendered: Map<string, string> } | undefined> {
    return this.cache.get(name, this.deps.clock.now().getTime());
  }

  /** A stored file by name, from the cache. */
  async file(name: string, filename: string): Promise<HostedFile | undefined> {
    const entry = await this.loaded(name);
    const record = entry?.loaded.files.find((f) => f.filename === filename);
    return record && { record, checksums: fileChecksums(record) };
  }

  /** Opens a stored file, or the part an HTTP `Range` header asks for. */
  async open(file: HostedFile, rangeHeader: string | undefined): Promise<Download> {
    const size = file.record.size;
    const range = rangeHeader === undefined || size === 0 ? undefined : parseRange(rangeHeader, size);
    const stream = await this.deps.blobs.open(file.record.blobDigest, range);
    return range ? { file, size, range, stream } : { file, size, stream };
  }

  /**
   * Verifies, commits and records a received file. On any failure nothing becomes visible: the upload is
   * cancelled, or a blob this request created is deleted.
   */
  async storeFile(input: StoreFileInput): Promise<FileRecord> {
    const { received } = input;
    const digest: Digest = `sha256:${received.checksums.sha256}`;
    let createdBlob = false;
    let committed = false;
    try {
      verifyChecksums(received.checksums, input.declared, input.filename);
      const existing = await this.file(input.name, input.filename);
      if (existing && input.existing !== 'replace') throw Errors.conflict(input.existing.refuse);
      createdBlob = (await this.deps.blobs.stat(digest)) === undefined;
      await this.deps.blobs.commitUpload(received.uploadId, digest);
      committed = true;
      await input.validate?.(digest, received.size);
      const metadata = JSON.stringify({ checksums: received.checksums, deployedBy: actorName(input.principal) });
      const { record, newVersion } = await this.writeRecords(input, { filename: input.filename, blobDigest: digest, size: received.size, metadata });
      // One publication per version, by whoever stored its first file (a Maven deploy sends a dozen).
      if (newVersion) await this.deps.publications.record(input.principal, { type: this.repository, name: input.name, version: input.version }, input.ctx);
      this.cache.delete(input.name);
      return record;
    } catch (error) {
      await this.discard(received.uploadId, committed ? { digest, createdBlob } : undefined, error).catch(() => {
        // Cleanup is best effort: the error that made us clean up is the one the client must see.
      });
      throw error;
    }
  }

  /**
   * Undoes what a failed store left: an uncommitted upload is cancelled; a committed blob this request
   * created is deleted, unless the failure was a conflict (a concurrent store of these bytes may want it).
   */
  private async discard(uploadId: string, committed: { digest: Digest; createdBlob: boolean } | undefined, error: unknown): Promise<void> {
    if (!committed) return this.deps.blobs.cancelUpload(uploadId);
    if (committed.createdBlob && !isConflict(error)) await this.deps.blobs.delete(committed.digest);
  }

  private async writeRecords(input: StoreFileInput, file: { filename: string; blobDigest: Digest; size: number; metadata: string }) {
    const now = this.deps.clock.now();
    const write = () =>
      this.deps.store.transaction(async (tx) => {
        const pkg = await tx.packages.ensure(this.repository, input.name, input.name, now);
        const existingVersion = await tx.packages.version(pkg.id, input.version);
        const version = existingVersion ?? (await tx.packages.insertVersion(pkg.id, input.version, '{}', now));
        const old = await tx.packages.file(this.repository, input.name, input.filename);
        if (old) {
          // Checked again inside the transaction: a concurrent deploy may have stored it meanwhile.
          if (input.existing !== 'replace') throw Errors.conflict(input.existing.refuse);
          await tx.packages.deleteFile(old.id);
        }
        const record = await tx.packages.insertFile(pkg.id, version.id, file, now);
        await touchProject(tx, pkg.id, now);
        await this.deps.audit.record(
          tx.audit,
          {
            actor: actorName(input.principal),
            action: 'package.published',
            target: { type: `${this.repository}-file`, name: `${input.name}/${input.filename}` },
            details: { version: input.version, size: file.size, sha256: file.blobDigest.slice('sha256:'.length), replaced: old !== undefined },
          },
          input.ctx,
        );
        return { record, newVersion: existingVersion === undefined };
      });
    // A conflict on a file that now exists is the client's own (unless it may be replaced): answered at once.
    return retryOnConflict(write, async () => {
      if (input.existing !== 'replace' && (await this.file(input.name, input.filename))) return false;
      this.cache.delete(input.name);
      return true;
    });
  }

  /** Deletes a version and its files (audited); `flyreg gc` reclaims blobs nothing references any more. */
  async deleteVersion(principal: Principal, name: string, version: string, ctx: RequestContext): Promise<{ files: number }> {
    const result = await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.get(this.repository, name);
      const record = pkg && (await tx.packages.version(pkg.id, version));
      if (!pkg || !record) throw Errors.notFound('Version', `${name} ${version}`);
      const loaded = await tx.packages.load(this.repository, name);
      const files = loaded?.files.filter((f) => f.versionId === record.id).length ?? 0;
      await tx.packages.deleteVersion(record.id);
      const remaining = loaded?.versions.filter((v) => v.id !== record.id).length ?? 0;
      if (remaining === 0) await tx.packages.delete(pkg.id);
      else await touchProject(tx, pkg.id, this.deps.clock.now());
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.unpublished', target: { type: `${this.repository}-version`, name: `${name} ${version}` }, details: { files } },
        ctx,
      );
      return { files };
    });
    this.cache.delete(name);
    return result;
  }

  /** Deletes one file (audited). */
  async deleteFile(principal: Principal, name: string, filename: string, ctx: RequestContext): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const record = await tx.packages.file(this.repository, name, filename);
      if (!record) throw Errors.notFound('File', `${name}/${filename}`);
      await tx.packages.deleteFile(record.id);
      await touchProject(tx, record.packageId, this.deps.clock.now());
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.unpublished', target: { type: `${this.repository}-file`, name: `${name}/${filename}` } },
        ctx,
      );
    });
    this.cache.delete(name);
  }

  /** Package names (for listings); a registry holds at most thousands. */
  async names(): Promise<string[]> {
    const all = await this.deps.store.packages.search(this.repository, { limit: 100_000, offset: 0 });
    return all.map((p) => p.name);
  }
}

