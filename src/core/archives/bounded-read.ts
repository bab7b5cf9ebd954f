import type { Readable } from 'node:stream';

/**
 * Reads a small stream whole, refusing it as soon as it passes `max` bytes (the stream is destroyed, so a
 * lying archive header cannot make us hold more than max + one chunk).
 */
export async function readBounded(stream: Readable, max: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
