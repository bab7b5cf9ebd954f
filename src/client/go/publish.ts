import { Readable } from 'node:stream';
import { escapeModulePath } from '../../formats/go/module-path.js';
import type { ModuleZip } from './module-zip.js';

/** Where a module version is uploaded: `<registry>/go/<escaped module>/@v/<escaped version>.zip`. */
export function moduleUploadUrl(registry: URL, module: string, version: string): URL {
  const base = registry.href.replace(/\/$/, '');
  return new URL(`${base}/go/${escapeModulePath(module)}/@v/${escapeModulePath(version)}.zip`);
}

/** Streams the zip to the registry; the server checks it again by the same rules and answers its h1. */
export async function uploadModuleZip(registry: URL, authorization: string, zip: ModuleZip, userAgent: string): Promise<{ h1: string }> {
  const url = moduleUploadUrl(registry, zip.module, zip.version);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization, 'content-type': 'application/zip', 'user-agent': userAgent },
      body: Readable.toWeb(zip.stream()) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach ${registry.origin}: ${cause}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`the registry refused ${zip.module}@${zip.version} (${response.status}): ${text.trim()}`);
  const answer = JSON.parse(text) as { h1: string };
  if (answer.h1 !== zip.h1) throw new Error(`the registry stored ${answer.h1}, but the files hash to ${zip.h1}`);
  return answer;
}
