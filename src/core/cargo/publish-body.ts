import { Readable } from 'node:stream';
import { Errors } from '../errors.js';

/**
 * Reads Cargo's publish body as it arrives: a 32-bit little-endian length and that much JSON metadata,
 * then a 32-bit length and the .crate file. The metadata is small and read whole (bounded); the crate is
 * handed on as a stream of exactly its declared length, never buffered.
 */
export class PublishBody {
  private readonly source: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(body: Readable) {
    this.source = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.pending.length < n) {
      const next = await this.source.next();
      if (next.done) throw Errors.validation('The publish request ended early: its lengths do not match its content');
      this.pending = Buffer.concat([this.pending, next.value]);
    }
  }

  private async exact(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  /** The next length-prefixed part's length, refused above `max`. */
  async length(what: string, max: number): Promise<number> {
    const n = (await this.exact(4)).readUInt32LE(0);
    if (n > max) throw Errors.payloadTooLarge(max);
    if (n === 0) throw Errors.validation(`The publish request has an empty ${what}`);
    return n;
  }

  async json(max: number): Promise<unknown> {
    const text = (await this.exact(await this.length('metadata', max))).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw Errors.validation('The publish metadata is not valid JSON');
    }
  }

  /** The next `n` bytes as a stream. */
  stream(n: number): Readable {
    return Readable.from(this.take(n));
  }

  private async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.pending.length === 0) {
        const next = await this.source.next();
        if (next.done) throw Errors.validation('The publish request ended before the end of its .crate file');
        this.pending = next.value;
      }
      const part = this.pending.subarray(0, left);
      this.pending = this.pending.subarray(part.length);
      left -= part.length;
      yield part;
    }
  }

  /** Refuses trailing bytes after the crate. */
  async end(): Promise<void> {
    if (this.pending.length > 0 || !(await this.source.next()).done) throw Errors.validation('The publish request has bytes after its .crate file');
  }
}
