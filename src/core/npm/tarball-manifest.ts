import { Readable } from 'node:stream';
import { readGzipTarEntry, scanBudget } from '../archives/gzip-tar-entry.js';
import { Errors } from '../errors.js';

/** npm packs every file under `package/`; the manifest is `package/package.json`. */
const MANIFEST_ENTRY = 'package/package.json';
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** package.json is normally among the first entries: scanning is bounded like an sdist's (100×, 64 MiB floor). */
const SCAN_LIMITS = { ratio: 100, floor: 64 * 1024 * 1024, ceiling: 512 * 1024 * 1024 };
const MAX_SCAN_MS = 30_000;

/**
 * Checks that a published tarball is what npm installs: a gzip'd tar whose package/package.json names
 * the package and version being published. Random bytes, another package's tarball or a mislabelled
 * version are refused before anything is stored.
 */
export async function checkTarballManifest(tarball: Buffer, name: string, version: string): Promise<void> {
  const bytes = await readGzipTarEntry(Readable.from([tarball]), {
    archive: 'npm tarball',
    entry: MANIFEST_ENTRY,
    isWanted: (path) => path === MANIFEST_ENTRY,
    maxEntryBytes: MAX_MANIFEST_BYTES,
    maxScanBytes: scanBudget(tarball.length, SCAN_LIMITS),
    maxMs: MAX_SCAN_MS,
  });
  let manifest: unknown;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw Errors.validation(`Invalid npm tarball: ${MANIFEST_ENTRY} is not valid JSON`, [{ path: '_attachments', message: 'package.json is not JSON' }]);
  }
  const fields = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>) : {};
  if (fields.name !== name || fields.version !== version) {
    const found = `${String(fields.name)}@${String(fields.version)}`;
    throw Errors.validation(`The tarball's ${MANIFEST_ENTRY} is for ${found.slice(0, 300)}, not ${name}@${version}`, [
      { path: '_attachments', message: 'package.json does not match the published name and version' },
    ]);
  }
}
