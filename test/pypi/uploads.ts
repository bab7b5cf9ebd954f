import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { uploadDistribution, type UploadOptions } from '../support/pypi-upload.js';
import type { TestServer } from '../helpers/server.js';

/** Uploads like twine does, with fetch, so tests can also send what twine never would. */
export function uploadWithFetch(server: TestServer, username: string, token: string, file: string, options: UploadOptions = {}) {
  return uploadDistribution(server.url, username, token, file, options);
}

/** Every committed blob in the server's filesystem blob store (upload sessions excluded). */
export function storedBlobs(server: TestServer): string[] {
  const root = join(server.database.dataDir, 'blobs', 'sha256');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)));
}

/** Upload sessions still on disk (a refused upload must not leave one behind). */
export function openUploads(server: TestServer): string[] {
  const root = join(server.database.dataDir, 'blobs', '_uploads');
  return existsSync(root) ? readdirSync(root) : [];
}
