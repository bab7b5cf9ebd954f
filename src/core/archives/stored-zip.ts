import yauzl from 'yauzl';
import type { BlobStore, Digest } from '../blob-store.js';
import { isAppError, type AppError } from '../errors.js';
import { BlobRandomAccessReader } from './blob-random-access.js';

export interface StoredZipRules {
  /** More entries than the format ever has: refused before any is read. */
  maxEntries: number;
  tooManyEntries(count: number): AppError;
  /** A zip the library cannot read (its message names the defect: bad signature, size mismatch…). */
  unreadable(reason: string): AppError;
}

/**
 * Opens a stored zip (a Go module zip, a wheel) in place through ranged blob reads, never buffering it, with
 * the library's strict checks (entry sizes, file names), refuses too many entries, and runs `read` over it.
 * Any library failure becomes the format's `unreadable` error; the zip is closed whatever happens.
 */
export async function readStoredZip<T>(blobs: BlobStore, digest: Digest, size: number, rules: StoredZipRules, read: (zip: yauzl.ZipFile) => Promise<T>): Promise<T> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new BlobRandomAccessReader(blobs, digest, size), size, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: true,
    });
    if (zip.entryCount > rules.maxEntries) throw rules.tooManyEntries(zip.entryCount);
    return await read(zip);
  } catch (error) {
    if (isAppError(error)) throw error;
    // yauzl's messages name the defect and hold no secrets.
    throw rules.unreadable(error instanceof Error ? error.message : String(error));
  } finally {
    zip?.close();
  }
}
