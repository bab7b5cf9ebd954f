import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';
import { PYPI_LIMITS } from './limits.js';

/** The sdist format puts PKG-INFO in the one top-level directory, `{name}-{version}/PKG-INFO`. */
const PKG_INFO_ENTRY = /^[^/]+\/PKG-INFO$/;

/** How many decompressed bytes an sdist of `compressedSize` bytes may make us scan. */
export function sdistScanBudget(compressedSize: number): number {
  return Math.min(PYPI_LIMITS.maxSdistScanBytes, Math.max(PYPI_LIMITS.minSdistScanBytes, compressedSize * PYPI_LIMITS.maxSdistExpansion));
}

/**
 * Reads PKG-INFO from a stored sdist (.tar.gz) with a real tar library. The work is bounded every way a
 * hostile archive could stretch it: decompression stops at the archive's end marker (bytes after it are
 * never fed to the parser, which would re-buffer them at quadratic cost), at sdistScanBudget() bytes, at
 * the time budget, and as soon as `signal` says the client has gone. PKG-INFO itself is bounded too.
 */
export async function readSdistMetadata(blobs: BlobStore, digest: Digest, compressedSize: number, signal?: AbortSignal): Promise<Buffer> {
  const budget = sdistScanBudget(compressedSize);
  const deadline = Date.now() + PYPI_LIMITS.maxArchiveScanMs;
  const source = await blobs.open(digest);
  const gunzip = createGunzip();
  let found: Buffer | undefined;
  let failure: Error | undefined;
  let archiveEnded = false;
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
  parser.on('eof', () => (archiveEnded = true));
  try {
    // Errors on either side end the loop below; destroying gunzip (on return) closes the blob stream too.
    pipeline(source, gunzip, () => undefined);
    let scanned = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw Errors.validation('The upload was abandoned by the client');
      scanned += chunk.length;
      if (scanned > budget) {
        throw Errors.validation(`Refusing the sdist: no PKG-INFO in its first ${budget} decompressed bytes (${PYPI_LIMITS.maxSdistExpansion}× its size at most)`);
      }
      if (Date.now() > deadline) throw Errors.validation(`Refusing the sdist: no PKG-INFO found within ${PYPI_LIMITS.maxArchiveScanMs / 1000} s of reading`);
      if (!parser.write(chunk)) await once(parser, 'drain');
      if (failure) throw failure;
      if (found) return found;
      if (archiveEnded) break;
    }
    if (!archiveEnded) await new Promise<void>((resolve) => parser.end(resolve));
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
