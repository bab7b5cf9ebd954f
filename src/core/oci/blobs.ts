import type { AuditLog } from '../audit/audit-log.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Readable } from 'node:stream';
import type { BlobInfo, BlobStore, ByteRange, Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { fromBlobStoreError } from './blob-errors.js';

export interface OciServiceDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
}

export interface BlobDownload {
  digest: Digest;
  /** The whole blob's size. */
  size: number;
  /** Set for a partial download. */
  range?: ByteRange;
  stream: Readable;
}

/** Blobs as a repository sees them: content-addressed, deduplicated, linked per repository. */
export class OciBlobs {
  constructor(private readonly deps: OciServiceDeps) {}

  /** Size of a blob linked into the repository (HEAD). */
  async stat(repository: string, digest: Digest): Promise<BlobInfo> {
    const repo = await this.deps.store.oci.repositoryByName(repository);
    const linked = repo && (await this.deps.store.oci.linkedBlob(repo.id, digest));
    if (!linked) throw Errors.blobUnknown(repository, digest);
    const info = await this.deps.blobs.stat(digest);
    if (!info) throw Errors.blobUnknown(repository, digest);
    return info;
  }

  /**
   * Opens a blob, or the part `rangeHeader` (an HTTP `Range: bytes=…`) asks for. An unsatisfiable range
   * throws range_invalid with the blob's size.
   */
  async open(repository: string, digest: Digest, rangeHeader: string | undefined): Promise<BlobDownload> {
    const info = await this.stat(repository, digest);
    const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader, info.size);
    try {
      const stream = await this.deps.blobs.open(digest, range);
      return range ? { digest, size: info.size, range, stream } : { digest, size: info.size, stream };
    } catch (error) {
      throw fromBlobStoreError(error, { repository });
    }
  }

  /** Unlinks the blob from the repository; the bytes go at the next `flyreg gc` if nothing else uses them. */
  async delete(principal: Principal, repository: string, digest: Digest, ctx: RequestContext): Promise<void> {
    const repo = await this.deps.store.oci.repositoryByName(repository);
    const unlinked =
      repo !== undefined &&
      (await this.deps.store.transaction(async (tx) => {
        if (!(await tx.oci.unlinkBlob(repo.id, digest))) return false;
        await this.deps.audit.record(tx.audit, { actor: actorName(principal), action: 'image.blob_deleted', target: { type: 'oci', id: repo.id, name: repository }, details: { digest } }, ctx);
        return true;
      }));
    if (!unlinked) throw Errors.blobUnknown(repository, digest);
  }

  /** Monolithic upload: the whole blob in one request, verified against `digest` before it becomes visible. */
  async put(repository: string, digest: Digest, source: Readable, signal: AbortSignal): Promise<BlobInfo> {
    const { store, blobs, clock } = this.deps;
    await store.oci.touchBlob(digest, clock.now());
    let info: BlobInfo;
    try {
      info = await blobs.put(source, digest, { signal });
    } catch (error) {
      throw fromBlobStoreError(error, { repository });
    }
    await this.link(repository, info);
    return info;
  }

  /**
   * Cross-repository mount: links a blob of `from` into `repository` without a byte moving. Returns undefined
   * when the blob cannot be mounted (unknown, or `from` not readable by the caller): the client then uploads.
   */
  async mount(repository: string, digest: Digest, from: string, mayPullFrom: (name: string) => boolean): Promise<BlobInfo | undefined> {
    if (!mayPullFrom(from)) return undefined;
    const { store, blobs, clock } = this.deps;
    const source = await store.oci.repositoryByName(from);
    if (!source || !(await store.oci.linkedBlob(source.id, digest))) return undefined;
    await store.oci.touchBlob(digest, clock.now());
    const info = await blobs.stat(digest);
    if (!info) return undefined;
    await this.link(repository, info);
    return info;
  }

  /** Records a committed blob in the repository (created on its first blob). */
  async link(repository: string, info: BlobInfo): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    await store.transaction(async (tx) => {
      const repo = await tx.oci.ensureRepository(repository, now);
      await tx.oci.linkBlob(repo.id, info.digest, info.size, now);
    });
  }
}

/** One `bytes=` range (the forms a-b, a- and -n); several ranges are not served. */
export function parseRange(header: string, size: number): ByteRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const bad = () => Errors.rangeInvalid(`Range ${JSON.stringify(header.slice(0, 100))} cannot be served for a blob of ${size} bytes`, size, false);
  if (!match || (match[1] === '' && match[2] === '')) throw bad();
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw bad();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start > end || start >= size) throw bad();
  return { start, end };
}
