import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export const PYPI_UPLOAD_PATH = '/artifactory/api/pypi/pypi/';

export interface UploadOptions {
  /** Form fields that replace (or, when undefined, remove) the ones twine would send. */
  fields?: Record<string, string | undefined>;
  /** The filename the file part claims; default: the file's own name. */
  filename?: string;
  /** Upload path on the server; default the documented one. */
  path?: string;
}

/**
 * Uploads a distribution the way twine does (multipart, `:action=file_upload`, sha256 and md5 digests),
 * with fetch: for the benchmark's setup and for tests that send deliberately broken uploads.
 */
export async function uploadDistribution(baseUrl: string, username: string, token: string, file: string, options: UploadOptions = {}) {
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
  const res = await fetch(`${baseUrl}${options.path ?? PYPI_UPLOAD_PATH}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}` },
    body: form,
  });
  return { status: res.status, reason: res.statusText, text: await res.text() };
}
