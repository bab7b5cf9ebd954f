import { Transform, type Readable } from 'node:stream';
import { RangeNotSatisfiableError, type ByteRange } from '../../core/blob-store.js';

/**
 * Holds a ranged GET from an S3-compatible store to the port's promise: exactly the bytes asked for, or
 * RangeNotSatisfiableError. S3 shortens a range that runs past the end instead of refusing it, and some
 * compatible stores serve more than asked (s3rver ignores an end of 0); the Content-Range they answer with
 * tells which, so the body is refused or cut to length here.
 */
export function exactRange(body: Readable, contentRange: string | undefined, range: ByteRange, digest: string): Readable {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
  const [start, end, total] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  if (range.end >= total || start !== range.start || end < range.end) {
    body.destroy();
    if (Number.isSafeInteger(total)) throw new RangeNotSatisfiableError(digest, range, total);
    throw new Error(`the object store answered a range request with Content-Range ${JSON.stringify(contentRange)}`);
  }
  return end === range.end ? body : body.pipe(firstBytes(range.end - range.start + 1, body));
}

function firstBytes(length: number, source: Readable): Transform {
  let remaining = length;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (remaining > 0) this.push(chunk.subarray(0, remaining));
      remaining -= chunk.length;
      if (remaining <= 0) {
        this.push(null);
        source.destroy(); // the rest is not wanted: stop the download
      }
      done();
    },
  });
}
