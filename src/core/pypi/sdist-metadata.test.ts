import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Header } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { FilesystemBlobStore } from '../../storage/blobs/filesystem-blob-store.js';
import type { BlobInfo } from '../blob-store.js';
import { readSdistMetadata } from './sdist-metadata.js';

const root = mkdtempSync(join(tmpdir(), 'sdist-bounds-'));
const blobs = new FilesystemBlobStore(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MiB = 1024 * 1024;

function header(path: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  new Header({ path, size, type: 'File', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }).encode(block, 0);
  return block;
}

/** A tar stream, generated lazily: each part is a file (path and byte count of one repeated byte) or raw zeros. */
function* tarParts(parts: ({ path: string; size: number; fill?: number; content?: string } | { zeros: number })[]): Generator<Buffer> {
  for (const part of parts) {
    if ('zeros' in part) {
      for (let left = part.zeros; left > 0; left -= MiB) yield Buffer.alloc(Math.min(MiB, left));
      continue;
    }
    yield header(part.path, part.size);
    if (part.content !== undefined) yield Buffer.from(part.content);
    else for (let left = part.size; left > 0; left -= MiB) yield Buffer.alloc(Math.min(MiB, left), part.fill ?? 0);
    if (part.size % 512) yield Buffer.alloc(512 - (part.size % 512));
  }
}

async function storeGzipped(parts: Parameters<typeof tarParts>[0]): Promise<BlobInfo> {
  return blobs.put(Readable.from(tarParts(parts)).pipe(createGzip()));
}

const PKG_INFO = 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n';

describe('readSdistMetadata bounds its work', () => {
  it('finds PKG-INFO in an ordinary sdist', async () => {
    const blob = await storeGzipped([
      { path: 'demo-1.0/setup.py', size: 10, content: 'print(1)\n\n' },
      { path: 'demo-1.0/PKG-INFO', size: PKG_INFO.length, content: PKG_INFO },
      { zeros: 1024 },
    ]);
    expect((await readSdistMetadata(blobs, blob.digest, blob.size)).toString()).toBe(PKG_INFO);
  });

  // 100 MiB of zeros after the end-of-archive marker gzip to ~100 KB: the parser used to be fed all of it,
  // re-buffering at quadratic cost (minutes to hours of CPU). Now reading stops at the end marker.
  it('stops at the end of the archive instead of decompressing what follows', { timeout: 30_000 }, async () => {
    const blob = await storeGzipped([{ path: 'demo-1.0/setup.py', size: 10, content: 'print(1)\n\n' }, { zeros: 1024 }, { zeros: 100 * MiB }]);
    await expect(readSdistMetadata(blobs, blob.digest, blob.size)).rejects.toThrow(/no \{name\}-\{version\}\/PKG-INFO inside/);
  });

  it('refuses an archive that expands more than 100× before its PKG-INFO (a decompression bomb)', { timeout: 30_000 }, async () => {
    const blob = await storeGzipped([
      { path: 'demo-1.0/big.bin', size: 70 * MiB },
      { path: 'demo-1.0/PKG-INFO', size: PKG_INFO.length, content: PKG_INFO },
      { zeros: 1024 },
    ]);
    expect(blob.size * 100).toBeLessThan(70 * MiB);
    await expect(readSdistMetadata(blobs, blob.digest, blob.size)).rejects.toThrow(/no \{name\}-\{version\}\/PKG-INFO in its first \d+ decompressed bytes/);
  });

  it('stops as soon as the client has gone', async () => {
    const blob = await storeGzipped([{ path: 'demo-1.0/big.bin', size: 8 * MiB }, { zeros: 1024 }]);
    await expect(readSdistMetadata(blobs, blob.digest, blob.size, AbortSignal.abort())).rejects.toThrow(/abandoned/);
  });
});
