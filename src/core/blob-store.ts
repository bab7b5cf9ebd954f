import type { Readable } from 'node:stream';

/** `sha256:<64 hex>` or `sha512:<128 hex>`: the content address of a blob. */
export type Digest = `${'sha256' | 'sha512'}:${string}`;

export const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): value is Digest {
  return DIGEST_PATTERN.test(value);
}

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface UploadInfo {
  id: string;
  /** Bytes received so far. */
  size: number;
  startedAt: Date;
  /** Last time bytes were appended (or the start). */
  updatedAt: Date;
}

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Content-addressed blob storage, shared by every protocol. Blobs are immutable and deduplicated:
 * the same bytes stored twice are kept once. Everything streams; nothing is buffered whole.
 *
 * Uploads are resumable sessions that survive a restart (an OCI push may PATCH several chunks across
 * requests, or across replicas on S3). A blob becomes visible only at commit, after its digest is verified;
 * a cancelled or failed upload leaves nothing behind.
 *
 * Input is validated before it reaches storage: a malformed digest throws InvalidDigestError from every method;
 * an upload id that is not a UUID names no session (uploadInfo → undefined, cancelUpload → no-op,
 * appendUpload/commitUpload → UploadNotFoundError).
 *
 * Implementations: storage/blobs/filesystem-blob-store.ts and storage/blobs/s3-blob-store.ts. All run the contract suite in
 * storage/blobs/blob-store.contract.ts.
 */
export interface BlobStore {
  /** Starts an empty upload session and returns its id (a UUID). */
  startUpload(): Promise<string>;
  /** Upload state, or undefined when no such session exists (never started, committed, cancelled or cleaned). */
  uploadInfo(uploadId: string): Promise<UploadInfo | undefined>;
  /**
   * Appends a stream to the upload. When `expectedOffset` is given and differs from the current size the
   * append is refused with UploadOffsetError before any byte is written. Aborting the signal (or an error in
   * the source) leaves the upload at a consistent size (what was durably appended, or the old size).
   * Returns the new size.
   */
  appendUpload(uploadId: string, source: Readable, options?: { expectedOffset?: number; signal?: AbortSignal }): Promise<number>;
  /**
   * Verifies the upload's content against `expected` (sha256 or sha512) and makes it the blob with that
   * digest, atomically (deduplicated: if it already exists the upload is simply dropped). On mismatch throws
   * DigestMismatchError and discards the upload.
   */
  commitUpload(uploadId: string, expected: Digest): Promise<BlobInfo>;
  /** Discards an upload session and its bytes. No-op when it does not exist. */
  cancelUpload(uploadId: string): Promise<void>;
  /** Lists upload sessions (for cleaning up abandoned ones). */
  listUploads(): AsyncIterable<UploadInfo>;

  /**
   * Stores a whole stream as a blob in one call (start + append + commit). When `expected` is omitted the
   * blob is stored under the sha256 of what arrived. Returns the digest and size.
   */
  put(source: Readable, expected?: Digest, options?: { signal?: AbortSignal }): Promise<BlobInfo>;
  /** Size of a stored blob, or undefined. */
  stat(digest: Digest): Promise<BlobInfo | undefined>;
  /**
   * Streams a blob (or an inclusive byte range of it). Throws BlobNotFoundError when missing and
   * RangeNotSatisfiableError when the range is not within 0 ≤ start ≤ end < size (callers clamp HTTP ranges first).
   */
  open(digest: Digest, range?: ByteRange): Promise<Readable>;
  /** Removes a blob. No-op when it does not exist. */
  delete(digest: Digest): Promise<void>;
  /** Every stored blob (for garbage collection). */
  list(): AsyncIterable<BlobInfo>;
  /**
   * Optional: a short-lived URL from which a client may fetch the blob directly, when the store is set up to
   * hand downloads off (S3 with FLY_BLOB_REDIRECT=true), as distribution's redirects do. Undefined means
   * "serve the bytes yourself". Callers resolve the blob first; the URL is not a promise that it exists.
   */
  presignedUrl?(digest: Digest): Promise<string | undefined>;
}

export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  constructor(readonly digest: string) {
    super(`blob ${digest} not found`);
  }
}

export class UploadNotFoundError extends Error {
  override readonly name = 'UploadNotFoundError';
  constructor(readonly uploadId: string) {
    super(`upload ${uploadId} not found`);
  }
}

export class UploadOffsetError extends Error {
  override readonly name = 'UploadOffsetError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`upload is at offset ${actual}, not ${expected}`);
  }
}

/** A digest that is not `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>`; refused before it reaches storage. */
export class InvalidDigestError extends Error {
  override readonly name = 'InvalidDigestError';
  constructor(readonly value: string) {
    // Cut the echo short: the value comes from a client and may be huge.
    super(`invalid digest ${JSON.stringify(value.slice(0, 80))}: expected sha256:<64 hex> or sha512:<128 hex>`);
  }
}

/** A byte range outside the blob (HTTP 416); `size` is what the 416 response's `Content-Range` reports. */
export class RangeNotSatisfiableError extends Error {
  override readonly name = 'RangeNotSatisfiableError';
  constructor(
    readonly digest: string,
    readonly range: ByteRange,
    readonly size: number,
  ) {
    super(`range bytes=${range.start}-${range.end} is not satisfiable for blob ${digest} of ${size} bytes`);
  }
}

export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`content digest ${actual} does not match ${expected}`);
  }
}
