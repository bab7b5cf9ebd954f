import type { Readable } from 'node:stream';
import type { BlobInfo, Digest, UploadInfo } from '../blob-store.js';
import type { Principal } from '../auth/principal.js';
import { Errors } from '../errors.js';
import { fromBlobStoreError } from './blob-errors.js';
import type { OciBlobs, OciServiceDeps } from './blobs.js';

/** Upload ids are the blob store's UUIDs; anything else is refused before it reaches storage. */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `Content-Range: <start>-<end>` of a chunk (the spec's form; `bytes ` prefix and `/total` accepted). */
export interface ChunkRange {
  start: number;
  end: number;
}

export function parseContentRange(header: string, uploadSize: number): ChunkRange {
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  const start = match ? Number(match[1]) : NaN;
  const end = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    throw Errors.rangeInvalid(`Invalid Content-Range ${JSON.stringify(header.slice(0, 100))}: expected <start>-<end>`, uploadSize, true);
  }
  return { start, end };
}

/**
 * Resumable blob uploads (POST → PATCH… → PUT). Sessions live in the blob store (and so survive a restart);
 * the database remembers which repository each belongs to, so a session can only be used where it started.
 */
export class OciUploads {
  constructor(
    private readonly deps: OciServiceDeps,
    private readonly blobService: OciBlobs,
    /** Open sessions one credential may hold: each holds disk until completed, cancelled or swept as abandoned. */
    private readonly maxPerCredential: number,
  ) {}

  /**
   * Starts a session for the caller, within its cap. Counted after the row is written, so that of several
   * starts racing for the last place none gets past the cap (at worst all of them are refused, and retry).
   */
  async start(principal: Principal, repository: string): Promise<UploadInfo> {
    const owner = credentialKey(principal);
    const id = await this.deps.blobs.startUpload();
    await this.deps.store.oci.insertUpload(id, repository, this.deps.clock.now(), owner);
    if ((await this.deps.store.oci.countUploads(owner)) > this.maxPerCredential) {
      await this.deps.store.oci.deleteUpload(id);
      await this.deps.blobs.cancelUpload(id);
      throw Errors.tooManyUploads(this.maxPerCredential);
    }
    return this.status(repository, id);
  }

  async status(repository: string, id: string): Promise<UploadInfo> {
    await this.checkOwner(repository, id);
    const info = await this.deps.blobs.uploadInfo(id);
    if (!info) throw Errors.uploadUnknown(id);
    return info;
  }

  /**
   * Appends a chunk. With `range` (chunked upload) it must start where the upload ends, and carry exactly
   * end-start+1 bytes when the length is known; without it (streamed upload) the body is appended as is.
   */
  async append(
    repository: string,
    id: string,
    source: Readable,
    options: { range?: ChunkRange; contentLength?: number; signal: AbortSignal },
  ): Promise<UploadInfo> {
    const info = await this.status(repository, id);
    checkChunkRange(info, options);
    try {
      await this.deps.blobs.appendUpload(id, source, { expectedOffset: options.range?.start, signal: options.signal });
    } catch (error) {
      throw fromBlobStoreError(error, { repository });
    }
    return this.status(repository, id);
  }

  /**
   * Closes the upload: appends a last chunk if any (checked against its Content-Range like any chunk: one out
   * of order is a 416 that leaves the session as it was), verifies the digest, makes the blob visible.
   */
  async complete(
    repository: string,
    id: string,
    digest: Digest,
    last: Readable | undefined,
    options: { range?: ChunkRange; contentLength?: number; signal: AbortSignal },
  ): Promise<BlobInfo> {
    const { store, blobs, clock } = this.deps;
    const current = await this.status(repository, id);
    if (last) checkChunkRange(current, options);
    let info: BlobInfo;
    try {
      if (last) await blobs.appendUpload(id, last, { expectedOffset: options.range?.start, signal: options.signal });
      await store.oci.touchBlob(digest, clock.now());
      info = await blobs.commitUpload(id, digest);
    } catch (error) {
      const mapped = fromBlobStoreError(error, { repository });
      // A digest mismatch discards the session (the blob store dropped its bytes): forget it too.
      if (mapped !== error && (await blobs.uploadInfo(id)) === undefined) await store.oci.deleteUpload(id);
      throw mapped;
    }
    await store.oci.deleteUpload(id);
    await this.blobService.link(repository, info);
    return info;
  }

  async cancel(repository: string, id: string): Promise<void> {
    await this.checkOwner(repository, id);
    await this.deps.blobs.cancelUpload(id);
    await this.deps.store.oci.deleteUpload(id);
  }

  private async checkOwner(repository: string, id: string): Promise<void> {
    if (!UPLOAD_ID.test(id)) throw Errors.uploadUnknown(id.slice(0, 64));
    const owner = await this.deps.store.oci.uploadRepository(id);
    if (owner !== repository) throw Errors.uploadUnknown(id);
  }
}

/** The credential a session is counted against: the token, else the login session, else the user. */
function credentialKey(principal: Principal): string {
  if (principal.token) return `token:${principal.token.id}`;
  if (principal.session) return `session:${principal.session.id}`;
  return `user:${principal.user.id}`;
}

/** A chunk must start where the upload ends, and its Content-Range and Content-Length must agree (else 416). */
function checkChunkRange(upload: UploadInfo, chunk: { range?: ChunkRange; contentLength?: number }): void {
  const { range, contentLength } = chunk;
  if (!range) return;
  if (range.start !== upload.size) {
    throw Errors.rangeInvalid(`Chunk out of order: the upload holds ${upload.size} bytes, the chunk starts at ${range.start}`, upload.size, true);
  }
  if (contentLength !== undefined && contentLength !== range.end - range.start + 1) {
    throw Errors.rangeInvalid(
      `Content-Range ${range.start}-${range.end} announces ${range.end - range.start + 1} bytes but Content-Length is ${contentLength}`,
      upload.size,
      true,
    );
  }
}
