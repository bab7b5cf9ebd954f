import yauzl from 'yauzl';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { readBounded } from '../archives/bounded-read.js';
import { readStoredZip } from '../archives/stored-zip.js';
import { PYPI_LIMITS } from './limits.js';
import { normalizeProjectName } from './names.js';

/** `{name}-{version}.dist-info/METADATA` at the top of the archive. */
const METADATA_ENTRY = /^([^/]+)-([^/-]+)\.dist-info\/METADATA$/;

function bombCheck(entry: yauzl.Entry): void {
  const { uncompressedSize, compressedSize } = entry;
  if (uncompressedSize > PYPI_LIMITS.bombEntryBytes && uncompressedSize > compressedSize * PYPI_LIMITS.maxCompressionRatio) {
    throw Errors.validation(
      `Refusing the wheel: ${entry.fileName} expands ${compressedSize} bytes to ${uncompressedSize} ` +
        `(more than ${PYPI_LIMITS.maxCompressionRatio}:1), which looks like a zip bomb`,
    );
  }
}

/**
 * Reads the exact bytes of a stored wheel's METADATA with a real zip library, refusing archives that are
 * corrupt, hostile (absolute or `..` paths, zip bombs, too many entries) or whose dist-info directory is for
 * another project. The wheel is read in place through ranged blob reads, within the time budget and until
 * `signal` says the client has gone.
 */
export async function readWheelMetadata(
  blobs: BlobStore,
  digest: Digest,
  size: number,
  project: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  const deadline = Date.now() + PYPI_LIMITS.maxArchiveScanMs;
  const rules = {
    maxEntries: PYPI_LIMITS.maxZipEntries,
    tooManyEntries: (count: number) => Errors.validation(`Refusing the wheel: ${count} entries (at most ${PYPI_LIMITS.maxZipEntries})`),
    unreadable: (reason: string) => Errors.validation(`Invalid wheel: not a readable zip archive (${reason})`),
  };
  return readStoredZip(blobs, digest, size, rules, async (zip) => {
    let total = 0;
    const candidates: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) {
      if (signal?.aborted) throw Errors.validation('The upload was abandoned by the client');
      if (Date.now() > deadline) throw Errors.validation(`Refusing the wheel: its entries took more than ${PYPI_LIMITS.maxArchiveScanMs / 1000} s to read`);
      bombCheck(entry);
      total += entry.uncompressedSize;
      if (total > PYPI_LIMITS.maxZipUncompressedBytes) {
        throw Errors.validation(`Refusing the wheel: it expands to more than ${PYPI_LIMITS.maxZipUncompressedBytes} bytes`);
      }
      const match = METADATA_ENTRY.exec(entry.fileName);
      if (match && normalizeProjectName(match[1] as string) === project) candidates.push(entry);
    }
    const [metadata, ...others] = candidates;
    if (!metadata) throw Errors.validation(`Invalid wheel: no ${project}-{version}.dist-info/METADATA inside`);
    if (others.length > 0) throw Errors.validation('Invalid wheel: more than one .dist-info/METADATA inside');
    const tooLarge = () =>
      Errors.validation(`Refusing the wheel: its METADATA is larger than ${PYPI_LIMITS.maxCoreMetadataBytes} bytes`);
    if (metadata.uncompressedSize > PYPI_LIMITS.maxCoreMetadataBytes) throw tooLarge();
    const stream = await zip.openReadStreamPromise(metadata);
    return await readBounded(stream, PYPI_LIMITS.maxCoreMetadataBytes, tooLarge);
  });
}
