import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { basicAuth } from '../helpers/api.js';
import type { TestServer } from '../helpers/server.js';

export const UPLOAD_PATH = '/artifactory/api/pypi/pypi/';

export interface UploadOptions {
  /** Form fields that replace (or, when undefined, remove) the ones twine would send. */
  fields?: Record<string, string | undefined>;
  /** The filename the file part claims; default: the file's own name. */
  filename?: string;
  path?: string;
}

/** Uploads a distribution the way twine does (multipart, `:action=file_upload`, digests) with fetch. */
export async function uploadWithFetch(server: TestServer, username: string, token: string, file: string, options: UploadOptions = {}) {
  const bytes = readFileSync(file);
  const filename = options.filename ?? basename(file);
  const [name, version] = filename.replace(/\.tar\.gz$|\.whl$/, '').split('-');
  const fields: Record<string, string | undefined> = {
    ':action': 'file_upload',
    protocol_version: '1',
    name,
    version,
    filetype: filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
    pyversion: filename.endsWith('.whl') ? 'py3' : 'source',
    metadata_version: '2.1',
    sha256_digest: createHash('sha256').update(bytes).digest('hex'),
    md5_digest: createHash('md5').update(bytes).digest('hex'),
    ...options.fields,
  };
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.append(key, value);
  form.append('content', new Blob([bytes]), filename);
  const res = await fetch(`${server.url}${options.path ?? UPLOAD_PATH}`, { method: 'POST', headers: basicAuth(username, token), body: form });
  return { status: res.status, reason: res.statusText, text: await res.text() };
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
