import type { BlobStore, Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { readStoredTarGzEntry } from '../archives/gzip-tar-entry.js';

const LIMITS = { maxManifestBytes: 1024 * 1024, maxScanBytes: 512 * 1024 * 1024, maxEntries: 50_000 };

/** The [package] name and version of a Cargo.toml (as `cargo package` normalises it). */
function packageIdentity(toml: string): { name?: string; version?: string } {
  const found: { name?: string; version?: string } = {};
  let inPackage = false;
  for (const raw of toml.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inPackage = line === '[package]';
      continue;
    }
    const m = inPackage ? /^(name|version)\s*=\s*"([^"\\]*)"\s*$/.exec(line) : null;
    if (m) found[m[1] as 'name' | 'version'] = m[2];
  }
  return found;
}

/**
 * Checks a stored .crate: a gzip tar whose every entry is under `<name>-<version>/` (no absolute or `..`
 * paths, no links), holding that directory's Cargo.toml, whose package name and version are the ones
 * being published.
 */
export async function checkCrateArchive(blobs: BlobStore, digest: Digest, name: string, version: string): Promise<void> {
  const root = `${name}-${version}/`;
  const manifest = await readStoredTarGzEntry(blobs, digest, {
    what: 'crate',
    wanted: (path) => path === `${root}Cargo.toml`,
    refuse: (path, type) => {
      if (!path.startsWith(root)) return `${JSON.stringify(path)} is not under ${root}`;
      if (path.split('/').includes('..')) return `${JSON.stringify(path)} leaves the crate's directory`;
      if (type === 'SymbolicLink' || type === 'Link') return `${JSON.stringify(path)} is a link`;
      return null;
    },
    maxEntryBytes: LIMITS.maxManifestBytes,
    maxScanBytes: LIMITS.maxScanBytes,
    maxEntries: LIMITS.maxEntries,
  });
  if (!manifest) throw Errors.validation(`Invalid crate: no ${root}Cargo.toml inside`);
  const identity = packageIdentity(manifest.toString('utf8'));
  if (identity.name !== name) throw Errors.validation(`Invalid crate: its Cargo.toml names package ${JSON.stringify(identity.name ?? '')}, not ${name}`);
  if (identity.version !== version) throw Errors.validation(`Invalid crate: its Cargo.toml says version ${JSON.stringify(identity.version ?? '')}, not ${version}`);
}
