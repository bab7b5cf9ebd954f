import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import {
  BlobNotFoundError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
  UploadOffsetError,
  DigestMismatchError,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type Digest,
  type UploadInfo,
} from '../../core/blob-store.js';
import { ALGORITHMS, BlobLayout, digestFromFile, isRangeWithin, isUploadId, parseDigest, type DigestAlgorithm } from './blob-layout.js';
import { asBytes } from './chunk-bytes.js';
import { FileRangeStream } from './file-range-stream.js';
import { directoryEntries, fsyncDirectory, isNotFound, makeDirectory, statIfExists } from './fs-primitives.js';
import { LockedUploadSessions } from './locked-upload-sessions.js';
import { RUNNING_ALGORITHM, RunningHashes } from './running-hashes.js';

// Re-hashing an upload (sha512, or after a restart) reads 1 MiB slices.
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Blobs as files under one root directory (layout in blob-layout.ts). Upload sessions are directories on
 * disk, so they survive a restart and any process sharing the root can continue them. Appends are streamed
 * straight to the file with backpressure (one chunk in memory at a time) while a sha256 runs alongside;
 * commit verifies the digest, fsyncs and renames the file into place.
 */
export class FilesystemBlobStore extends LockedUploadSessions implements BlobStore {
  private readonly layout: BlobLayout;
  private readonly hashes = new RunningHashes();

  constructor(root: string) {
    super();
    this.layout = new BlobLayout(path.resolve(root));
  }

  async startUpload(): Promise<string> {
    const id = randomUUID();
    await makeDirectory(this.layout.uploadDir(id));
    await writeFile(this.layout.uploadData(id), '', { flag: 'wx' });
    await writeFile(this.layout.uploadMeta(id), JSON.stringify({ startedAt: new Date().toISOString() }));
    return id;
  }

  async uploadInfo(uploadId: string): Promise<UploadInfo | undefined> {
    if (!isUploadId(uploadId)) return undefined;
    const dir = await statIfExists(this.layout.uploadDir(uploadId));
    if (!dir?.isDirectory()) return undefined;
    // A crash inside startUpload can leave the directory without its files; it is then an empty session
    // (which the abandoned-upload cleaner will remove) rather than an error.
    const data = await statIfExists(this.layout.uploadData(uploadId));
    const startedAt = (await this.readStartedAt(uploadId)) ?? dir.mtime;
    return { id: uploadId, size: data?.size ?? 0, startedAt, updatedAt: data?.mtime ?? dir.mtime };
  }

  async *listUploads(): AsyncIterable<UploadInfo> {
    for await (const entry of directoryEntries(this.layout.uploadsDir())) {
      if (!entry.isDirectory() || !isUploadId(entry.name)) continue;
      const info = await this.uploadInfo(entry.name);
      if (info) yield info;
    }
  }

  async put(source: Readable, expected?: Digest, options: { signal?: AbortSignal } = {}): Promise<BlobInfo> {
    if (expected !== undefined) parseDigest(expected);
    return this.putThroughSession(source, expected, { signal: options.signal });
  }


  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    const file = await statIfExists(this.layout.blobPath(digest));
    return file?.isFile() ? { digest, size: file.size } : undefined;
  }

  async open(digest: Digest, range?: ByteRange): Promise<Readable> {
    const file = this.layout.blobPath(digest);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(digest);
      throw error;
    }
    // Size and bytes come from the same open file, so a concurrent delete cannot cut a download short.
    try {
      const { size } = await handle.stat();
      if (range && !isRangeWithin(range, size)) throw new RangeNotSatisfiableError(digest, range, size);
      return new FileRangeStream(handle, range ?? { start: 0, end: size - 1 });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async delete(digest: Digest): Promise<void> {
    try {
      await unlink(this.layout.blobPath(digest));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const algorithm of ALGORITHMS) {
      const algorithmDir = this.layout.algorithmDir(algorithm);
      for await (const fanout of directoryEntries(algorithmDir)) {
        if (!fanout.isDirectory()) continue;
        for await (const entry of directoryEntries(path.join(algorithmDir, fanout.name))) {
          const digest = entry.isFile() ? digestFromFile(algorithm, fanout.name, entry.name) : undefined;
          if (!digest) continue;
          const info = await this.stat(digest); // may have been deleted since the directory was read
          if (info) yield info;
        }
      }
    }
  }

  protected async appendLocked(
    uploadId: string,
    source: Readable,
    { expectedOffset, signal }: { expectedOffset?: number; signal?: AbortSignal },
  ): Promise<number> {
    signal?.throwIfAborted();
    let handle: FileHandle;
    try {
      // Append mode, not create-the-session: without its directory (cancelled, committed) this fails.
      handle = await open(this.layout.uploadData(uploadId), 'a');
    } catch (error) {
      if (isNotFound(error)) throw new UploadNotFoundError(uploadId);
      throw error;
    }
    try {
      const startSize = (await handle.stat()).size;
      if (expectedOffset !== undefined && expectedOffset !== startSize) throw new UploadOffsetError(expectedOffset, startSize);
      const hash = this.hashes.take(uploadId, startSize);
      let size = startSize;
      try {
        const input = signal ? addAbortSignal(signal, source) : source;
        // Awaiting each write before pulling the next chunk is the backpressure: the source pauses (and an
        // HTTP client is throttled by TCP) while the disk catches up.
        for await (const chunk of input) {
          const bytes = asBytes(chunk);
          hash?.update(bytes);
          await writeFully(handle, bytes);
          size += bytes.length;
        }
      } catch (error) {
        // All or nothing: back to the size before this append, so the size a client reads back (and
        // resumes from) is exactly the bytes of its successful appends. The hash state is dropped with it.
        await handle.truncate(startSize).catch(() => undefined);
        throw error;
      }
      if (hash) this.hashes.keep(uploadId, hash, size);
      return size;
    } finally {
      await handle.close();
    }
  }

  /** `expected` undefined (from put) means "store under the sha256 of whatever arrived". */
  protected async commitLocked(uploadId: string, expected: Digest | undefined): Promise<BlobInfo> {
    const dataPath = this.layout.uploadData(uploadId);
    let handle: FileHandle;
    try {
      // 'a+' reads like 'r' but also tolerates a session whose data file a crash never created (empty).
      handle = await open(dataPath, 'a+');
    } catch (error) {
      if (isNotFound(error)) throw new UploadNotFoundError(uploadId);
      throw error;
    }
    try {
      const size = (await handle.stat()).size;
      const algorithm = expected ? parseDigest(expected).algorithm : RUNNING_ALGORITHM;
      const actual = await this.contentDigest(uploadId, handle, size, algorithm);
      if (expected !== undefined && actual !== expected) {
        await this.discard(uploadId);
        throw new DigestMismatchError(expected, actual);
      }
      const target = this.layout.blobPath(actual);
      // Deduplication: the same bytes are already stored, so this upload is simply dropped.
      if (!(await statIfExists(target))) {
        await handle.sync(); // the bytes reach the disk before any name points at them
        await makeDirectory(path.dirname(target));
        try {
          await rename(dataPath, target);
        } catch (error) {
          if (isNotFound(error)) throw new UploadNotFoundError(uploadId); // cancelled while we hashed
          throw error;
        }
        await fsyncDirectory(path.dirname(target));
      }
      await this.discard(uploadId);
      return { digest: actual, size };
    } finally {
      await handle.close();
    }
  }

  private async contentDigest(uploadId: string, handle: FileHandle, size: number, algorithm: DigestAlgorithm): Promise<Digest> {
    const running = algorithm === RUNNING_ALGORITHM ? this.hashes.take(uploadId, size) : undefined;
    if (running) return `${algorithm}:${running.digest('hex')}`;
    const hash = createHash(algorithm);
    for await (const chunk of handle.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES })) {
      hash.update(chunk as Buffer);
    }
    return `${algorithm}:${hash.digest('hex')}`;
  }

  protected async discard(uploadId: string): Promise<void> {
    this.hashes.forget(uploadId);
    await rm(this.layout.uploadDir(uploadId), { recursive: true, force: true });
  }

  private async readStartedAt(uploadId: string): Promise<Date | undefined> {
    try {
      const meta: unknown = JSON.parse(await readFile(this.layout.uploadMeta(uploadId), 'utf8'));
      const startedAt = typeof meta === 'object' && meta !== null ? (meta as { startedAt?: unknown }).startedAt : undefined;
      const date = typeof startedAt === 'string' ? new Date(startedAt) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : undefined;
    } catch {
      return undefined; // missing or half-written meta: the caller falls back to the directory's time
    }
  }
}

async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
