import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Who talks to the generic repository, and where it is (GET /api/v1/endpoints' generic.baseUrl). */
export interface GenericTarget {
  baseUrl: string;
  /** A session token or a registry token, sent as Bearer. */
  bearer: string;
  userAgent: string;
}

export interface UploadedFile {
  name: string;
  version: string;
  file: string;
  size: number;
  checksums: { md5: string; sha1: string; sha256: string; sha512: string };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Why the server refused, from its plain-text answer (one line). */
async function failure(response: Response, what: string): Promise<Error> {
  const text = (await response.text()).replace(/\s+/g, ' ').trim().slice(0, 300);
  return new Error(`${what}: ${text || `HTTP ${response.status}`}`);
}

const fileUrl = (t: GenericTarget, name: string, version: string, file: string) =>
  `${t.baseUrl.replace(/\/?$/, '/')}${[name, version, file].map(encodeURIComponent).join('/')}`;

/** Uploads a file as `<name>/<version>/<its base name>`, streamed, with its sha256 for the server to check. */
export async function uploadFile(target: GenericTarget, path: string, name: string, version: string): Promise<UploadedFile> {
  const size = statSync(path).size;
  const sha256 = await sha256Of(path);
  const response = await fetch(fileUrl(target, name, version, basename(path)), {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${target.bearer}`,
      'user-agent': target.userAgent,
      'content-length': String(size),
      'content-type': 'application/octet-stream',
      'x-checksum-sha256': sha256,
    },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!response.ok) throw await failure(response, `upload of ${basename(path)} refused`);
  return (await response.json()) as UploadedFile;
}

/**
 * Downloads one file into `dir`, through a temporary file checked against the sha256 the server sent:
 * a file that arrives damaged never takes the final name.
 */
export async function downloadFile(target: GenericTarget, name: string, version: string, file: string, dir: string): Promise<{ path: string; size: number }> {
  const response = await fetch(fileUrl(target, name, version, file), { headers: { authorization: `Bearer ${target.bearer}`, 'user-agent': target.userAgent } });
  if (!response.ok || !response.body) throw await failure(response, `download of ${name}@${version}/${file} failed`);
  const path = join(dir, file);
  const partial = `${path}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(partial));
    const expected = response.headers.get('x-checksum-sha256');
    const actual = hash.digest('hex');
    if (expected && expected !== actual) throw new Error(`download of ${file} is damaged: sha256 ${actual}, the server said ${expected}`);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { path, size };
}

/** The file names of a version, from its listing (asked for as JSON). */
export async function versionFiles(target: GenericTarget, name: string, version: string): Promise<string[]> {
  const response = await fetch(fileUrl(target, name, version, ''), {
    headers: { authorization: `Bearer ${target.bearer}`, 'user-agent': target.userAgent, accept: 'application/json' },
  });
  if (!response.ok) throw await failure(response, `${name}@${version} not found`);
  const { entries } = (await response.json()) as { entries: { name: string; directory: boolean }[] };
  return entries.filter((e) => !e.directory).map((e) => e.name);
}
