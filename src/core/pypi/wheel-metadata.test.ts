import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { FilesystemBlobStore } from '../../storage/blobs/filesystem-blob-store.js';
import type { BlobStore } from '../blob-store.js';
import { readWheelMetadata } from './wheel-metadata.js';

const root = mkdtempSync(join(tmpdir(), 'wheel-reads-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A blob store that counts how often a blob is opened (each open is a file open or an S3 GET). */
function countingOpens(inner: BlobStore): { blobs: BlobStore; opens: () => number } {
  let opens = 0;
  const blobs = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'open') {
        return (...args: Parameters<BlobStore['open']>) => {
          opens++;
          return target.open(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { blobs, opens: () => opens };
}

describe('readWheelMetadata', () => {
  it('reads the central directory of a wheel with many entries in a few blob reads, not two per entry', async () => {
    const file = join(root, 'many_entries-1.0-py3-none-any.whl');
    const zip = new yazl.ZipFile();
    for (let i = 0; i < 5000; i++) zip.addBuffer(Buffer.from(`x = ${i}\n`), `many_entries/m${i}.py`, { compress: false, mtime: new Date(0) });
    zip.addBuffer(Buffer.from('Metadata-Version: 2.1\nName: many-entries\nVersion: 1.0\n'), 'many_entries-1.0.dist-info/METADATA', { mtime: new Date(0) });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(file));
    const store = new FilesystemBlobStore(join(root, 'blobs'));
    const blob = await store.put(createReadStream(file));
    const { blobs, opens } = countingOpens(store);
    const metadata = await readWheelMetadata(blobs, blob.digest, (await stat(file)).size, 'many-entries');
    expect(metadata.toString()).toContain('Name: many-entries');
    expect(opens()).toBeLessThan(50);
  });
});
