/** A chunk from an upload source as bytes; sources are byte streams, so anything else is a programming error. */
export function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('an upload source must produce bytes (Buffer, Uint8Array or string chunks)');
}
