import { PassThrough, pipeline, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { BlobStore, Digest } from '../blob-store.js';

/**
 * Lets yauzl read a zip that sits in the blob store through ranged reads, so a wheel is inspected where it
 * was stored (its central directory and one entry) without being copied or buffered whole.
 */
export class BlobRandomAccessReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly blobs: BlobStore,
    private readonly digest: Digest,
  ) {
    super();
  }

  /** yauzl asks for [start, end) synchronously; the blob store opens asynchronously, hence the pass-through. */
  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    if (end <= start) {
      out.end();
      return out;
    }
    this.blobs.open(this.digest, { start, end: end - 1 }).then(
      (source) => pipeline(source, out, () => undefined),
      (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return out;
  }
}
