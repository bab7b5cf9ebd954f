import { PassThrough, pipeline, Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { BlobStore, Digest } from '../blob-store.js';
import { readBounded } from './bounded-read.js';

/** Small reads (central directory records, local headers) are served from windows of this many bytes. */
const WINDOW_BYTES = 1024 * 1024;
const SMALL_READ_BYTES = 64 * 1024;

/**
 * Lets yauzl read a zip that sits in the blob store through ranged reads, so a wheel is inspected where it
 * was stored (its central directory and one entry) without being copied or buffered whole. yauzl reads the
 * central directory as two small reads per entry: those are served from a 1 MiB read-ahead window, so a
 * wheel of 100,000 entries costs a few dozen blob reads instead of 200,000.
 */
export class BlobRandomAccessReader extends yauzl.RandomAccessReader {
  private window: { start: number; bytes: Buffer } | undefined;

  constructor(
    private readonly blobs: BlobStore,
    private readonly digest: Digest,
    private readonly size: number,
  ) {
    super();
  }

  /** yauzl asks for [start, end) synchronously; the blob store opens asynchronously, hence the pass-through. */
  override _readStreamForRange(start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    const cached = this.fromWindow(start, end);
    if (cached) return Readable.from([cached]);
    const out = new PassThrough();
    if (end - start <= SMALL_READ_BYTES) {
      const windowEnd = Math.max(end, Math.min(this.size, start + WINDOW_BYTES));
      this.openRange(start, windowEnd)
        .then((source) => readBounded(source, windowEnd - start, () => new Error('the blob is longer than its recorded size')))
        .then(
          (bytes) => {
            this.window = { start, bytes };
            out.end(bytes.subarray(0, end - start));
          },
          (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
        );
      return out;
    }
    this.openRange(start, end).then(
      (source) => pipeline(source, out, () => undefined),
      (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return out;
  }

  /** Reads inside the window are copied at once, without a stream each (yauzl reads every entry this way). */
  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null) => void): void {
    const cached = this.fromWindow(position, position + length);
    if (!cached) return super.read(buffer, offset, length, position, callback);
    cached.copy(buffer, offset);
    process.nextTick(callback, null);
  }

  private fromWindow(start: number, end: number): Buffer | undefined {
    const w = this.window;
    if (!w || start < w.start || end > w.start + w.bytes.length) return undefined;
    return w.bytes.subarray(start - w.start, end - w.start);
  }

  private openRange(start: number, end: number): Promise<Readable> {
    return this.blobs.open(this.digest, { start, end: end - 1 });
  }
}
