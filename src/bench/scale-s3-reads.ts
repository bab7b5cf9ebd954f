import { randomFillSync } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { S3BlobStore } from '../storage/blobs/s3-blob-store.js';
import { parseS3Url } from '../storage/blobs/s3-location.js';
import type { S3rverProcess } from './s3rver-process.js';

export interface ReadFigures {
  /** Through the blob store (what the server does when it streams a blob). */
  viaStoreMBps: number;
  /** Straight from the object store by pre-signed URL (what a redirected client does). */
  viaPresignedMBps: number;
  blobBytes: number;
}

const MiB = 1024 * 1024;
const ROUNDS = 3;

/**
 * Blob read throughput from an S3-compatible store, streamed through S3BlobStore.open and fetched by the
 * pre-signed URL a redirect would hand out. Both read the same bytes from the same store, so the pair shows
 * what the store itself allows and what streaming through our code costs on top.
 */
export async function measureS3Reads(s3: S3rverProcess, blobBytes = 64 * MiB): Promise<ReadFigures> {
  const store = new S3BlobStore({ client: s3.client(), location: parseS3Url(`s3://${s3.bucket}/bench-reads`), redirectDownloads: true });
  const { digest } = await store.put(Readable.from(chunks(blobBytes)));
  const viaStore = await bestOf(async () => drain(await store.open(digest)));
  const url = await store.presignedUrl(digest);
  if (!url) throw new Error('the store gave no pre-signed URL');
  const viaPresigned = await bestOf(async () => {
    const res = await fetch(url);
    if (!res.ok || !res.body) throw new Error(`pre-signed GET answered ${res.status}`);
    return drain(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>));
  });
  if (viaStore.bytes !== blobBytes || viaPresigned.bytes !== blobBytes) throw new Error('short read');
  return { viaStoreMBps: blobBytes / MiB / viaStore.seconds, viaPresignedMBps: blobBytes / MiB / viaPresigned.seconds, blobBytes };
}

function* chunks(total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += MiB) yield randomFillSync(Buffer.allocUnsafe(Math.min(MiB, total - sent)));
}

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

async function bestOf(read: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  let best = { seconds: Infinity, bytes: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const bytes = await read();
    const seconds = (performance.now() - started) / 1000;
    if (seconds < best.seconds) best = { seconds, bytes };
  }
  return best;
}
