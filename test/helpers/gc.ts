import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './server.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Runs the real `flyreg gc` against a test server's database and blob directory; resolves with its output. */
export function runGc(server: TestServer, ...args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'gc', ...args],
      { env: { PATH: process.env.PATH ?? '', FLY_DATA_DIR: server.database.dataDir, FLY_DATABASE_URL: server.database.url } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** Whether the filesystem blob store of the server holds the blob. */
export function blobStored(server: TestServer, digest: string): boolean {
  return existsSync(join(server.database.dataDir, 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7)));
}

/** The digest a file's bytes are stored under (sha256, as every protocol stores them). */
export function fileDigest(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}
