import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import type { BlobInfo, BlobStore, Digest } from '../blob-store.js';
import { Errors } from '../errors.js';

/**
 * A request body stored as a blob before its content is checked, the way Go, Cargo and Helm uploads are
 * received: streamed into the blob store (never buffered), refused once it passes `maxBytes`. Whether the
 * blob existed before matters on failure: only a blob this upload created may be removed again.
 */
export interface StoredUpload extends BlobInfo {
  createdHere: boolean;
}

/** Hashes and counts bytes on their way through; fails the stream once they pass the limit. */
class HashingLimit extends Transform {
  private readonly hash = createHash('sha256');
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) return callback(Errors.payloadTooLarge(this.maxBytes));
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

export async function storeUpload(blobs: BlobStore, body: Readable, maxBytes: number): Promise<StoredUpload> {
  const upload = await blobs.startUpload();
  const limited = new HashingLimit(maxBytes);
  // pipeline() forwards a failing body to `limited` (which appendUpload reads) and keeps listening for
  // errors on both, so a failure before or during the append is never an unhandled 'error' event.
  pipeline(body, limited, () => undefined);
  try {
    await blobs.appendUpload(upload, limited);
    const digest = limited.digest();
    // Asked before commit: commit deduplicates, so afterwards every blob looks as if it had been there.
    const createdHere = (await blobs.stat(digest)) === undefined;
    return { ...(await blobs.commitUpload(upload, digest)), createdHere };
  } catch (error) {
    await blobs.cancelUpload(upload).catch(() => undefined);
    throw error;
  }
}

/** Stores small bytes the registry derived or extracted (a go.mod, a Chart.yaml…) as a blob. */
export function storeBytes(blobs: BlobStore, bytes: Buffer): Promise<StoredUpload> {
  return storeUpload(blobs, Readable.from([bytes]), bytes.length);
}

/** Removes the blobs a failed upload created (best effort: the upload's own error is what the client sees). */
export async function discardCreated(blobs: BlobStore, stored: (StoredUpload | undefined)[]): Promise<void> {
  for (const s of stored) if (s?.createdHere) await blobs.delete(s.digest).catch(() => undefined);
}
