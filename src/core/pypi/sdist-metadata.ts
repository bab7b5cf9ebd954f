import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';
import { PYPI_LIMITS } from './limits.js';

/** The sdist format puts PKG-INFO in the one top-level directory, `{name}-{version}/PKG-INFO`. */
const PKG_INFO_ENTRY = /^[^/]+\/PKG-INFO$/;

/**
 * Reads PKG-INFO from a stored sdist (.tar.gz) with a real tar library. Decompression is counted and stops
 * at PYPI_LIMITS.maxSdistScanBytes, so a gzip bomb costs bounded time; PKG-INFO itself is bounded too.
 */
export async function readSdistMetadata(blobs: BlobStore, digest: Digest): Promise<Buffer> {
  const source = await blobs.open(digest);
  const gunzip = createGunzip();
  let found: Buffer | undefined;
  let failure: Error | undefined;
  const parser = new Parser({
    onReadEntry(entry: ReadEntry) {
      if (found || !PKG_INFO_ENTRY.test(entry.path)) return entry.resume();
      if (entry.size > PYPI_LIMITS.maxCoreMetadataBytes) {
        failure = Errors.validation(`Refusing the sdist: its PKG-INFO is larger than ${PYPI_LIMITS.maxCoreMetadataBytes} bytes`);
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => (found = Buffer.concat(chunks)));
    },
  });
  parser.on('warn', () => undefined);
  try {
    // Errors on either side end the loop below; destroying gunzip (on return) closes the blob stream too.
    pipeline(source, gunzip, () => undefined);
    let scanned = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      scanned += chunk.length;
      if (scanned > PYPI_LIMITS.maxSdistScanBytes) {
        throw Errors.validation(`Refusing the sdist: no PKG-INFO in its first ${PYPI_LIMITS.maxSdistScanBytes} bytes`);
      }
      if (!parser.write(chunk)) await once(parser, 'drain');
      if (failure) throw failure;
      if (found) return found;
    }
    await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw failure;
    if (found) return found;
    throw Errors.validation('Invalid sdist: no {name}-{version}/PKG-INFO inside');
  } catch (error) {
    if (isAppError(error)) throw error;
    throw Errors.validation(`Invalid sdist: not a readable .tar.gz (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    gunzip.destroy();
  }
}
