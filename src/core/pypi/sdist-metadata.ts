import { readGzipTarEntry, scanBudget } from '../archives/gzip-tar-entry.js';
import type { BlobStore, Digest } from '../blob-store.js';
import { PYPI_LIMITS } from './limits.js';

/** The sdist format puts PKG-INFO in the one top-level directory, `{name}-{version}/PKG-INFO`. */
const PKG_INFO_ENTRY = /^[^/]+\/PKG-INFO$/;

/** How many decompressed bytes an sdist of `compressedSize` bytes may make us scan. */
export function sdistScanBudget(compressedSize: number): number {
  return scanBudget(compressedSize, { ratio: PYPI_LIMITS.maxSdistExpansion, floor: PYPI_LIMITS.minSdistScanBytes, ceiling: PYPI_LIMITS.maxSdistScanBytes });
}

/**
 * Reads PKG-INFO from a stored sdist (.tar.gz): up to the archive's end, at most sdistScanBudget() bytes
 * (100× its size) and the time budget, and only while the client is there (see readGzipTarEntry).
 */
export async function readSdistMetadata(blobs: BlobStore, digest: Digest, compressedSize: number, signal?: AbortSignal): Promise<Buffer> {
  return readGzipTarEntry(await blobs.open(digest), {
    archive: 'sdist',
    entry: '{name}-{version}/PKG-INFO',
    isWanted: (path) => PKG_INFO_ENTRY.test(path),
    maxEntryBytes: PYPI_LIMITS.maxCoreMetadataBytes,
    maxScanBytes: sdistScanBudget(compressedSize),
    maxMs: PYPI_LIMITS.maxArchiveScanMs,
    signal,
  });
}
