import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file that holds a secret: created with mode 0600 in a directory created 0700, through a
 * temporary file and a rename so a crash never leaves half a config behind.
 */
export function writePrivateFile(path: string, content: string, options: { privateDir?: boolean } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Only a directory that is ours alone (the flyreg config dir) is tightened when it already existed.
  if (options.privateDir) chmodSync(dir, 0o700);
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, content, { mode: 0o600 });
    // An existing file may have been created with another mode; the secret must not stay readable.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
