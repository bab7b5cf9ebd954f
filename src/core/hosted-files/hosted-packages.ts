import type { Readable } from 'node:stream';
import { readBounded } from '../archives/bounded-read.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { BlobStore, ByteRange, Digest } from '../blob-store.js';
import { DigestBytesCache } from '../digest-bytes-cache.js';
import { Errors } from '../errors.js';
import { parseRange } from '../oci/blobs.js';
import type { FileRecord, PackageRepository } from '../packages/model.js';
import { PackageViews } from '../packages/package-views.js';
import { isConflict, retryOnConflict } from '../packages/retry-conflicts.js';
import type { ProtocolServiceDeps } from '../protocols.js';
import { verifyChecksums, type ChecksumAlgorithm, type ReceivedFile } from './checksums.js';
import { HostedPackageView, type HostedFile } from './hosted-view.js';

export type { HostedFile } from './hosted-view.js';

export interface Download {
  file: HostedFile;
  size: number;
  range?: ByteRange;
  /** The bytes (of the range): in memory for a small file, else streamed from the blob store. */
  body: Buffer | Readable;
}

/** Files up to this size (poms, signatures, small jars) are served from memory once read. */
export const SMALL_FILE_BYTES = 64 * 1024;
/** The memory those small files may take, per process. */
const SMALL_FILES_CACHE_BYTES = 16 * 1024 * 1024;

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

/** The byte range a `Range` header asks of a file (none for an empty file); throws when it is unsatisfiable. */
function rangeOf(file: HostedFile, rangeHeader: string | undefined): ByteRange | undefined {
  const { size } = file.record;
  return rangeHeader === undefined || size === 0 ? undefined : parseRange(rangeHeader, size);
}

/** A small file's download from its bytes in memory (the range of them asked for). */
function smallDownload(file: HostedFile, range: ByteRange | undefined, bytes: Buffer): Download {
  const { size } = file.record;
  return range ? { file, size, range, body: bytes.subarray(range.start, range.end + 1) } : { file, size, body: bytes };
}

/** What every protocol's service is built from, less the public URL: hosted files answer paths, not links. */
export type HostedPackagesDeps = Omit<ProtocolServiceDeps, 'publicUrl'>;

/**
 * Files hosted by path in the shared package model (Maven repositories, generic files): packages →
 * versions → files → content-addressed blobs. Checksums are computed while the bytes stream in, verified
 * against what the client declared, and kept with the file so every companion is served without reading
 * the bytes again. Reads come from a view of each package built once per stored revision (PackageViews):
 * every write gives the package a new revision and announces it in its transaction, so every process
 * drops its view at commit.
 */
export class HostedPackages {
  private readonly views: PackageViews<HostedPackageView>;
  /** Small files' bytes: a pom is fetched by every build that resolves it, and a blob never changes. */
  private readonly smallFiles = new DigestBytesCache(SMALL_FILES_CACHE_BYTES, SMALL_FILE_BYTES);

  constructor(
    private readonly deps: HostedPackagesDeps,
    readonly repository: PackageRepository,
  ) {
    this.views = new PackageViews(deps, repository, (loaded) => new HostedPackageView(loaded));
  }

  /** The blob store files stream into (receiveFile). */
  get blobs(): BlobStore {
    return this.deps.blobs;
  }

  /** The package as stored (its current revision), or undefined when it does not exist. */
  view(name: string): Promise<HostedPackageView | undefined> {
    return this.views.get(name);
  }

  /** view() when this process holds the package's view; undefined when view() would read the store. */
  viewInMemory(name: string): HostedPackageView | undefined {
    return this.views.inMemory(name);
  }

  /** A stored file by name, from the package's view. */
  async file(name: string, filename: string): Promise<HostedFile | undefined> {
    return (await this.views.get(name))?.file(filename);
  }

  /** Opens a stored file, or the part an HTTP `Range` header asks for. */
  async open(file: HostedFile, rangeHeader: string | undefined): Promise<Download> {
    const { size, blobDigest } = file.record;
    const range = rangeOf(file, rangeHeader);
    if (size > SMALL_FILE_BYTES) {
      const body = await this.deps.blobs.open(blobDigest, range);
      return range ? { file, size, range, body } : { file, size, body };
    }
    let bytes = this.smallFiles.get(blobDigest);
    if (bytes === undefined) {
      bytes = await readBounded(await this.deps.blobs.open(blobDigest), SMALL_FILE_BYTES, () => new Error(`blob ${blobDigest} is larger than its file record says`));
      this.smallFiles.set(blobDigest, bytes);
    }
    return smallDownload(file, range, bytes);
  }

  /** open() when the file is small and its bytes are in memory; undefined when open() would read the blob store. */
  openInMemory(file: HostedFile, rangeHeader: string | undefined): Download | undefined {
    if (file.record.size > SMALL_FILE_BYTES) return undefined;
    const bytes = this.smallFiles.get(file.record.blobDigest);
    return bytes && smallDownload(file, rangeOf(file, rangeHeader), bytes);
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
      this.views.forget(input.name);
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
        await this.views.changed(tx, input.name, pkg.id);
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
      this.views.forget(input.name);
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
      await this.views.changed(tx, name, remaining === 0 ? null : pkg.id);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.unpublished', target: { type: `${this.repository}-version`, name: `${name} ${version}` }, details: { files } },
        ctx,
      );
      return { files };
    });
    this.views.forget(name);
    return result;
  }

  /** Deletes one file (audited). */
  async deleteFile(principal: Principal, name: string, filename: string, ctx: RequestContext): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const record = await tx.packages.file(this.repository, name, filename);
      if (!record) throw Errors.notFound('File', `${name}/${filename}`);
      await tx.packages.deleteFile(record.id);
      await this.views.changed(tx, name, record.packageId);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.unpublished', target: { type: `${this.repository}-file`, name: `${name}/${filename}` } },
        ctx,
      );
    });
    this.views.forget(name);
  }

  /** Package names (for listings); a registry holds at most thousands. */
  async names(): Promise<string[]> {
    const all = await this.deps.store.packages.search(this.repository, { limit: 100_000, offset: 0 });
    return all.map((p) => p.name);
  }
}

