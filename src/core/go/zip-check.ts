import { createHash } from 'node:crypto';
import { CollisionChecker, MAX_GO_MOD_BYTES, MAX_LICENSE_BYTES, MAX_ZIP_BYTES } from '../../formats/go/module-files.js';
import { filePathProblem } from '../../formats/go/module-path.js';
import { hash1 } from '../../formats/go/h1.js';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { readStoredZip } from '../archives/stored-zip.js';
import { readBounded } from '../archives/bounded-read.js';

/** More entries than any real module has; bounds the work of checking one upload. */
const MAX_ENTRIES = 100_000;

export interface CheckedZip {
  /** The module's h1: hash (what go.sum records for `module version`). */
  h1: string;
  /** The exact bytes of the root go.mod, or null when the module has none. */
  goMod: Buffer | null;
}

const invalid = (message: string) => Errors.validation(`Invalid module zip: ${message}`);

/**
 * Checks a stored module zip by the rules the Go command applies when it downloads one (every entry under
 * `module@version/`, valid file paths, no case collisions, go.mod only at the root, size limits), reading
 * it in place through ranged blob reads, and hashes every file for the module's h1: sum on the way.
 */
export async function checkModuleZip(blobs: BlobStore, digest: Digest, size: number, module: string, version: string): Promise<CheckedZip> {
  if (size > MAX_ZIP_BYTES) throw invalid(`it is ${size} bytes (at most ${MAX_ZIP_BYTES})`);
  const prefix = `${module}@${version}/`;
  const rules = {
    maxEntries: MAX_ENTRIES,
    tooManyEntries: (count: number) => invalid(`${count} entries (at most ${MAX_ENTRIES})`),
    unreadable: (reason: string) => invalid(`not a readable zip archive (${reason})`),
  };
  return readStoredZip(blobs, digest, size, rules, async (zip) => {
    const collisions = new CollisionChecker();
    const files: { name: string; sha256Hex: string }[] = [];
    let goMod: Buffer | null = null;
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      const full = entry.fileName;
      if (!full.startsWith(prefix)) throw invalid(`${JSON.stringify(full)} is not under ${JSON.stringify(prefix)}`);
      let name = full.slice(prefix.length);
      if (name === '') continue;
      const dir = name.endsWith('/');
      if (dir) name = name.slice(0, -1);
      const problem = filePathProblem(name);
      if (problem) throw invalid(`malformed file path ${JSON.stringify(name)}: ${problem}`);
      const collision = collisions.check(name, dir);
      if (collision) throw invalid(collision);
      if (dir) continue;
      const base = name.slice(name.lastIndexOf('/') + 1);
      if (base.toLowerCase() === 'go.mod' && name !== 'go.mod') {
        throw invalid(base === name ? 'go.mod files must have lowercase names' : `${name}: go.mod file not in module root directory`);
      }
      total += entry.uncompressedSize;
      if (total > MAX_ZIP_BYTES) throw invalid(`total uncompressed size of module contents too large (max size is ${MAX_ZIP_BYTES} bytes)`);
      if (name === 'go.mod' && entry.uncompressedSize > MAX_GO_MOD_BYTES) throw invalid(`go.mod file too large (max size is ${MAX_GO_MOD_BYTES} bytes)`);
      if (name === 'LICENSE' && entry.uncompressedSize > MAX_LICENSE_BYTES) throw invalid(`LICENSE file too large (max size is ${MAX_LICENSE_BYTES} bytes)`);
      const stream = await zip.openReadStreamPromise(entry);
      if (name === 'go.mod') {
        goMod = await readBounded(stream, MAX_GO_MOD_BYTES, () => invalid('go.mod file too large'));
        files.push({ name: full, sha256Hex: createHash('sha256').update(goMod).digest('hex') });
      } else {
        const h = createHash('sha256');
        for await (const chunk of stream as AsyncIterable<Buffer>) h.update(chunk);
        files.push({ name: full, sha256Hex: h.digest('hex') });
      }
    }
    if (files.length === 0) throw invalid('it holds no files');
    return { h1: hash1(files), goMod };
  });
}
