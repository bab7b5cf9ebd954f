import { createHash, randomUUID, type Hash } from 'node:crypto';
import { addAbortSignal, Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  BlobNotFoundError,
  DigestMismatchError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
  UploadOffsetError,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type Digest,
  type UploadInfo,
} from '../../core/blob-store.js';
import { LockedUploadSessions } from './locked-upload-sessions.js';
import { ALGORITHMS, digestFromFile, isRangeWithin, isUploadId, parseDigest, type DigestAlgorithm } from './blob-layout.js';
import { asBytes } from './chunk-bytes.js';

import { RUNNING_ALGORITHM, RunningHashes } from './running-hashes.js';
import { isS3NotFound, isS3RangeNotSatisfiable } from './s3-errors.js';
import { S3Keys, type S3Location } from './s3-location.js';
import { PART_BYTES, S3ObjectWriter } from './s3-object-writer.js';
import { exactRange } from './s3-range.js';
import { presignGetObject } from './s3-presign.js';

/** CopyObject's limit; a larger single chunk is assembled by streaming instead. */
const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;

/** distribution's default for redirected downloads: long enough for a slow pull to start, short enough to leak little. */
const DEFAULT_PRESIGN_SECONDS = 20 * 60;

export interface S3BlobStoreOptions {
  client: S3Client;
  location: S3Location;
  /** Hand blob downloads off to pre-signed URLs (presignedUrl answers undefined without it). */
  redirectDownloads?: boolean;
  /** How long a pre-signed download URL stays valid. */
  presignExpiresSeconds?: number;
  /** Multipart part size (tests lower it to exercise multipart with small blobs); at least 5 MiB on real S3. */
  partBytes?: number;
}

interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

interface Chunk {
  key: string;
  offset: number;
  size: number;
}

interface Session {
  info: UploadInfo;
  /** Contiguous from offset 0, in order. */
  chunks: Chunk[];
}

/**
 * Blobs as objects in an S3-compatible bucket (layout in s3-location.ts). Upload sessions are objects too,
 * so every replica sees the same sessions and a restart loses nothing. Each append streams into its own
 * chunk object through a multipart upload (one part in memory at a time); commit verifies the digest,
 * writes the blob under its content address (a server-side copy when the bytes already arrived as one chunk
 * hashed by this process, otherwise one streamed pass that hashes and writes at once) and then deletes the
 * session's objects. A blob becomes visible only when its PutObject, CopyObject or CompleteMultipartUpload
 * succeeds, and only after its digest matched.
 *
 * Concurrency: appends and commits on one session are serialised within a process; across replicas a
 * session belongs to one client, which sends its chunks one after another (the OCI protocol requires it).
 */
export class S3BlobStore extends LockedUploadSessions implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keys: S3Keys;
  private readonly partBytes: number;
  private readonly presignSeconds: number | undefined;
  private readonly hashes = new RunningHashes();

  constructor(options: S3BlobStoreOptions) {
    super();
    this.client = options.client;
    this.bucket = options.location.bucket;
    this.keys = new S3Keys(options.location.prefix);
    this.partBytes = options.partBytes ?? PART_BYTES;
    this.presignSeconds = options.redirectDownloads ? (options.presignExpiresSeconds ?? DEFAULT_PRESIGN_SECONDS) : undefined;
  }

  async startUpload(): Promise<string> {
    const id = randomUUID();
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keys.marker(id), Body: '', ContentLength: 0 }));
    return id;
  }

  async uploadInfo(uploadId: string): Promise<UploadInfo | undefined> {
    if (!isUploadId(uploadId)) return undefined;
    return (await this.readSession(uploadId))?.info;
  }

  async *listUploads(): AsyncIterable<UploadInfo> {
    // S3 lists keys in UTF-8 binary order, so each session's objects arrive together.
    let current: { uploadId: string; objects: ListedObject[] } | undefined;
    for await (const object of this.listObjects(this.keys.uploadsPrefix())) {
      const uploadId = this.keys.parseUploadKey(object.key)?.uploadId;
      if (!uploadId) continue;
      if (current && current.uploadId !== uploadId) {
        const session = this.sessionFrom(current.uploadId, current.objects);
        if (session) yield session.info;
        current = undefined;
      }
      current ??= { uploadId, objects: [] };
      current.objects.push(object);
    }
    const last = current && this.sessionFrom(current.uploadId, current.objects);
    if (last) yield last.info;
  }

  async put(source: Readable, expected?: Digest, options: { signal?: AbortSignal } = {}): Promise<BlobInfo> {
    const algorithm = expected === undefined ? RUNNING_ALGORITHM : parseDigest(expected).algorithm;
    options.signal?.throwIfAborted();
    const input = options.signal ? addAbortSignal(options.signal, source) : source;
    const iterator: AsyncIterator<unknown> = input[Symbol.asyncIterator]();
    // Most blobs put in one call (manifests, package files) fit in one part: hash them first, then write
    // them straight under their digest with one PutObject, no session objects at all.
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < this.partBytes) {
      const next = await iterator.next();
      if (next.done) return this.putSmall(Buffer.concat(head), algorithm, expected);
      const bytes = asBytes(next.value);
      head.push(bytes);
      headBytes += bytes.length;
    }
    return this.putThroughSession(Readable.from(prepend(head, iterator)), expected);
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    const size = await this.objectSize(this.keys.blob(digest));
    return size === undefined ? undefined : { digest, size };
  }

  async open(digest: Digest, range?: ByteRange): Promise<Readable> {
    const key = this.keys.blob(digest);
    if (range && !isRangeWithin(range, Number.MAX_SAFE_INTEGER)) throw await this.rangeError(digest, range);
    let body: unknown;
    let contentRange: string | undefined;
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      body = output.Body;
      contentRange = output.ContentRange;
    } catch (error) {
      if (isS3NotFound(error)) throw new BlobNotFoundError(digest);
      if (isS3RangeNotSatisfiable(error)) throw await this.rangeError(digest, range ?? { start: 0, end: 0 });
      throw error;
    }
    if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
    return range ? exactRange(body, contentRange, range, digest) : body;
  }

  async delete(digest: Digest): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keys.blob(digest) }));
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const algorithm of ALGORITHMS) {
      const prefix = this.keys.algorithmPrefix(algorithm);
      for await (const object of this.listObjects(prefix)) {
        const [fanout, name, ...rest] = object.key.slice(prefix.length).split('/');
        const digest = fanout && name && rest.length === 0 ? digestFromFile(algorithm, fanout, name) : undefined;
        if (digest) yield { digest, size: object.size };
      }
    }
  }

  /**
   * A time-limited URL that serves the blob straight from the object store, so a registry can answer a
   * download with a redirect and let the bytes bypass the server (FLY_BLOB_REDIRECT); undefined unless the
   * store was built with redirectDownloads. It does not check that the blob exists: callers resolved it.
   */
  async presignedUrl(digest: Digest): Promise<string | undefined> {
    const key = this.keys.blob(digest);
    return this.presignSeconds === undefined ? undefined : presignGetObject(this.client, this.bucket, key, this.presignSeconds);
  }

  protected async appendLocked(
    uploadId: string,
    source: Readable,
    { expectedOffset, signal }: { expectedOffset?: number; signal?: AbortSignal },
  ): Promise<number> {
    signal?.throwIfAborted();
    const session = await this.readSession(uploadId);
    if (!session) throw new UploadNotFoundError(uploadId);
    const start = session.info.size;
    if (expectedOffset !== undefined && expectedOffset !== start) throw new UploadOffsetError(expectedOffset, start);
    const hash = this.hashes.take(uploadId, start);
    const chunkKey = this.keys.chunk(uploadId, start);
    const writer = new S3ObjectWriter(this.client, this.bucket, chunkKey, this.partBytes);
    try {
      const input = signal ? addAbortSignal(signal, source) : source;
      // Awaiting each write is the backpressure: while a part is sent the source is not read.
      for await (const chunk of input) {
        const bytes = asBytes(chunk);
        hash?.update(bytes);
        await writer.write(bytes);
      }
      if (writer.size > 0) await writer.finish();
    } catch (error) {
      // All or nothing: the chunk object never became visible, so the session is still at `start`.
      await writer.abort();
      throw error;
    }
    if (writer.size > 0 && (await this.objectSize(this.keys.marker(uploadId))) === undefined) {
      // Cancelled (or committed elsewhere) while the bytes streamed: do not leave an orphan chunk behind.
      await this.deleteKey(chunkKey);
      throw new UploadNotFoundError(uploadId);
    }
    const size = start + writer.size;
    if (hash) this.hashes.keep(uploadId, hash, size);
    return size;
  }

  /** `expected` undefined (from put) means "store under the sha256 of whatever arrived". */
  protected async commitLocked(uploadId: string, expected: Digest | undefined): Promise<BlobInfo> {
    const session = await this.readSession(uploadId);
    if (!session) throw new UploadNotFoundError(uploadId);
    const { size } = session.info;
    const algorithm = expected ? parseDigest(expected).algorithm : RUNNING_ALGORITHM;
    const running = algorithm === RUNNING_ALGORITHM ? this.hashes.take(uploadId, size) : undefined;
    let actual: Digest;
    if (running || !expected) {
      // The digest is known (this process hashed the bytes as they arrived) or must be known before the
      // target key is: settle it, then store the bytes unless that blob already exists.
      actual = running ? digestOf(algorithm, running) : await this.hashChunks(session.chunks, algorithm);
      if (expected !== undefined && actual !== expected) return this.refuse(uploadId, expected, actual);
      if ((await this.stat(actual)) === undefined) await this.assemble(session.chunks, size, this.keys.blob(actual));
    } else {
      // The bytes came through another replica (or before a restart, or the digest is sha512): one pass
      // hashes them and writes the blob at once; the blob appears only if the digest matches.
      const writer = (await this.stat(expected)) === undefined ? new S3ObjectWriter(this.client, this.bucket, this.keys.blob(expected), this.partBytes) : undefined;
      try {
        actual = await this.streamChunks(session.chunks, createHash(algorithm), writer).then((hash) => digestOf(algorithm, hash));
        if (actual !== expected) {
          await writer?.abort();
          return this.refuse(uploadId, expected, actual);
        }
        await writer?.finish();
      } catch (error) {
        await writer?.abort();
        throw error;
      }
    }
    await this.discard(uploadId);
    return { digest: actual, size };
  }

  private async refuse(uploadId: string, expected: Digest, actual: Digest): Promise<never> {
    await this.discard(uploadId);
    throw new DigestMismatchError(expected, actual);
  }

  private async putSmall(bytes: Buffer, algorithm: DigestAlgorithm, expected: Digest | undefined): Promise<BlobInfo> {
    const actual = digestOf(algorithm, createHash(algorithm).update(bytes));
    if (expected !== undefined && actual !== expected) throw new DigestMismatchError(expected, actual);
    if ((await this.stat(actual)) === undefined) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keys.blob(actual), Body: bytes, ContentLength: bytes.length }));
    }
    return { digest: actual, size: bytes.length };
  }

  /** Writes the session's bytes as one object: a server-side copy when they are one chunk, else one streamed pass. */
  private async assemble(chunks: Chunk[], size: number, target: string): Promise<void> {
    const [only] = chunks;
    if (chunks.length === 1 && only && size <= COPY_OBJECT_MAX_BYTES) {
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: target, CopySource: copySource(this.bucket, only.key) }));
      return;
    }
    const writer = new S3ObjectWriter(this.client, this.bucket, target, this.partBytes);
    try {
      await this.streamChunks(chunks, undefined, writer);
      await writer.finish();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  private async hashChunks(chunks: Chunk[], algorithm: DigestAlgorithm): Promise<Digest> {
    return digestOf(algorithm, await this.streamChunks(chunks, createHash(algorithm), undefined));
  }

  /** Reads the chunks in order, feeding the hash and/or the writer. */
  private async streamChunks<H extends Hash | undefined>(chunks: Chunk[], hash: H, writer: S3ObjectWriter | undefined): Promise<H> {
    for (const chunk of chunks) {
      if (chunk.size === 0) continue;
      let body: unknown;
      try {
        body = (await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: chunk.key }))).Body;
      } catch (error) {
        // The session was cancelled (or committed by another request) while we read it.
        if (isS3NotFound(error)) throw new UploadNotFoundError(chunk.key);
        throw error;
      }
      if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for ${chunk.key}`);
      for await (const piece of body) {
        const bytes = asBytes(piece);
        hash?.update(bytes);
        await writer?.write(bytes);
      }
    }
    return hash;
  }

  private async readSession(uploadId: string): Promise<Session | undefined> {
    const objects: ListedObject[] = [];
    for await (const object of this.listObjects(this.keys.uploadPrefix(uploadId))) objects.push(object);
    return this.sessionFrom(uploadId, objects);
  }

  /**
   * A session's state from its objects: it exists while its marker does; its bytes are the chunks that
   * follow one another from offset 0 (a chunk past a gap, left by an interrupted cancel, is not part of it).
   */
  private sessionFrom(uploadId: string, objects: ListedObject[]): Session | undefined {
    let marker: ListedObject | undefined;
    const found: Chunk[] = [];
    const modified = new Map<string, Date>();
    for (const object of objects) {
      const parsed = this.keys.parseUploadKey(object.key);
      if (parsed?.uploadId !== uploadId) continue;
      if (parsed.object.kind === 'marker') marker = object;
      else found.push({ key: object.key, offset: parsed.object.offset, size: object.size });
      modified.set(object.key, object.lastModified);
    }
    if (!marker) return undefined;
    found.sort((a, b) => a.offset - b.offset);
    const chunks: Chunk[] = [];
    let size = 0;
    let updatedAt = marker.lastModified;
    for (const chunk of found) {
      if (chunk.offset !== size) break;
      chunks.push(chunk);
      size += chunk.size;
      const at = modified.get(chunk.key);
      if (at && at > updatedAt) updatedAt = at;
    }
    return { info: { id: uploadId, size, startedAt: marker.lastModified, updatedAt }, chunks };
  }

  /** Removes a session: chunks first and the marker last, so an interrupted discard leaves a session the sweeper still finds. */
  protected async discard(uploadId: string): Promise<void> {
    this.hashes.forget(uploadId);
    const marker = this.keys.marker(uploadId);
    const keys: string[] = [];
    for await (const object of this.listObjects(this.keys.uploadPrefix(uploadId))) if (object.key !== marker) keys.push(object.key);
    // One DeleteObject per key rather than DeleteObjects: the batch call needs a Content-MD5 or checksum
    // header that S3-compatible stores disagree about, and a session has only a handful of objects.
    await Promise.all(keys.map((key) => this.deleteKey(key)));
    await this.deleteKey(marker);
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async objectSize(key: string): Promise<number | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ContentLength ?? 0;
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw error;
    }
  }

  private async rangeError(digest: Digest, range: ByteRange): Promise<Error> {
    const info = await this.stat(digest);
    return info ? new RangeNotSatisfiableError(digest, range, info.size) : new BlobNotFoundError(digest);
  }

  /** Every object under a prefix, page by page (never the whole listing in memory). */
  private async *listObjects(prefix: string): AsyncGenerator<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

function digestOf(algorithm: DigestAlgorithm, hash: Hash): Digest {
  return `${algorithm}:${hash.digest('hex')}`;
}

/** `bucket/key` with the key's characters URL-encoded, as CopyObject's x-amz-copy-source requires. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The bytes already read, then the rest of the source; stops the source if the consumer stops early. */
async function* prepend(head: Uint8Array[], rest: AsyncIterator<unknown>): AsyncGenerator<Uint8Array> {
  try {
    yield* head;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield asBytes(next.value);
    }
  } finally {
    await rest.return?.();
  }
}
