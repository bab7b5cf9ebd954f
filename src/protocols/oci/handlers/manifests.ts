import { MAX_MANIFEST_BYTES } from '../../../core/oci/manifest.js';
import { parseReference, type Reference } from '../../../core/oci/names.js';
import type { OciManifest } from '../../../core/oci/ports.js';
import type { Principal, RequestContext } from '../../../core/auth/principal.js';
import type { Core } from '../../../core/core.js';
import { sendAnswer, type Answer, type MemoryCall } from '../../kit/route.js';
import { mediaTypeOf, readBounded } from '../body.js';
import type { OciContext, OciServices } from '../route.js';
import { H } from './headers.js';

/** `GET /v2/<name>/manifests/<reference>`: the exact bytes as pushed, with their media type and digest. */
export async function getManifest(c: OciContext): Promise<unknown> {
  const reference = parseReference(c.params.reference as string);
  const { manifest, bytes } = await c.registry.manifests.get(c.params.name as string, reference);
  recordPull(c.core, c.principal, c.ctx, c.params.name as string, reference, manifest.digest, 'GET');
  return sendAnswer(c.reply, manifestAnswer(manifest, bytes));
}

/** `HEAD /v2/<name>/manifests/<reference>`: existence, size, media type and digest without the body. */
export async function headManifest(c: OciContext): Promise<unknown> {
  const reference = parseReference(c.params.reference as string);
  const manifest = await c.registry.manifests.resolve(c.params.name as string, reference);
  recordPull(c.core, c.principal, c.ctx, c.params.name as string, reference, manifest.digest, 'HEAD');
  return sendAnswer(c.reply, manifestAnswer(manifest));
}

/** getManifest and headManifest when the manifest (and for a GET its bytes) is in memory. */
export function manifestFromMemory(c: MemoryCall, { core, registry }: OciServices): Answer | undefined {
  const reference = parseReference(c.params.reference as string);
  const name = c.params.name as string;
  if (c.method === 'HEAD') {
    const manifest = registry.manifests.resolvedInMemory(name, reference);
    if (!manifest) return undefined;
    recordPull(core, c.principal, c.ctx, name, reference, manifest.digest, 'HEAD');
    return manifestAnswer(manifest);
  }
  const stored = registry.manifests.inMemory(name, reference);
  if (!stored) return undefined;
  recordPull(core, c.principal, c.ctx, name, reference, stored.manifest.digest, 'GET');
  return manifestAnswer(stored.manifest, stored.bytes);
}

/** A manifest answer: its exact bytes (GET) or, without them, its size (HEAD). */
function manifestAnswer(manifest: OciManifest, bytes?: Buffer): Answer {
  // Literal names (H's values), not computed keys: V8 builds a literal with computed keys in its runtime, and
  // this runs on every pull.
  if (bytes) return { status: 200, headers: { 'content-type': manifest.mediaType, 'docker-content-digest': manifest.digest }, body: bytes };
  return { status: 200, headers: { 'content-type': manifest.mediaType, 'docker-content-digest': manifest.digest, 'content-length': String(manifest.size) } };
}

/** `PUT /v2/<name>/manifests/<reference>`: validate, store exact bytes, tag. Bodies over 4 MiB → 413. */
export async function putManifest(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const reference = parseReference(c.params.reference as string);
  const bytes = await readBounded(c.request, c.bodyLimit ?? MAX_MANIFEST_BYTES);
  const pushed = await c.registry.manifests.put(name, reference, bytes, mediaTypeOf(c.request));
  await c.core.publications.record(c.principal, { type: 'oci', repository: name, digest: pushed.digest }, c.ctx);
  if (pushed.subject) void c.reply.header(H.subject, pushed.subject);
  return c.reply.status(201).header(H.location, `/v2/${name}/manifests/${pushed.digest}`).header(H.digest, pushed.digest).send();
}

/** `DELETE /v2/<name>/manifests/<reference>`: by digest the manifest (and its tags), by tag the tag only. */
export async function deleteManifest(c: OciContext): Promise<unknown> {
  await c.registry.manifests.delete(c.principal, c.params.name as string, parseReference(c.params.reference as string), c.ctx);
  return c.reply.status(202).send();
}

/** A pull with an environment token is a deployment record: queued in memory, never awaited, never failing the pull. */
function recordPull(core: Core, principal: Principal, ctx: RequestContext, repository: string, reference: Reference, digest: string, method: 'GET' | 'HEAD'): void {
  const tag = reference.kind === 'tag' ? reference.tag : null;
  core.pulls.record(principal, { repository, tag, digest, method }, ctx);
}
