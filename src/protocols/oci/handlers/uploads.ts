import { grantsAllow } from '../../../core/auth/grants.js';
import { Errors } from '../../../core/errors.js';
import { parseDigest, parseRepositoryName } from '../../../core/oci/names.js';
import { OCI_PROTOCOL, challengeScope } from '../../../core/oci/scopes.js';
import { parseContentRange, type ChunkRange } from '../../../core/oci/uploads.js';
import { bodyStream, contentLength, hasBody } from '../body.js';
import { bearerChallenge, sendOciError } from '../errors.js';
import type { OciContext } from '../route.js';
import { H, uploadLocation, uploadRange } from './headers.js';

/**
 * `POST /v2/<name>/blobs/uploads/`: `?mount=<digest>&from=<repo>` mounts a blob from another repository
 * (falling back to a new session), `?digest=` takes the whole blob in this request, otherwise a session starts.
 */
export async function startUpload(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const mount = c.query.get('mount');
  if (mount !== null) {
    const digest = parseDigest(mount, 'mount digest');
    const fromParam = c.query.get('from');
    const from = fromParam === null ? undefined : parseRepositoryName(fromParam);
    if (from !== undefined && bearerLacksSource(c, from)) {
      // Docker's registry asks for the source's pull scope in this challenge too; the client comes back with a
      // token for both repositories and the mount succeeds instead of re-uploading the bytes.
      const scope = `${challengeScope(name, 'push')} ${challengeScope(from, 'pull')}`;
      const missing = Errors.unauthenticated(`Mounting from ${from} needs a bearer token that may also pull it: request one with that scope`);
      return sendOciError(missing, c.request, c.reply, bearerChallenge({ realm: c.realm, service: c.service, scope }));
    }
    const mounted = from !== undefined ? await c.registry.blobs.mount(name, digest, from, c.mayPull) : undefined;
    if (mounted) return c.reply.status(201).header(H.location, `/v2/${name}/blobs/${digest}`).header(H.digest, digest).send();
  } else if (c.query.has('digest')) {
    const digest = parseDigest(c.query.get('digest') ?? '');
    const info = await c.registry.blobs.put(name, digest, bodyStream(c.request), c.signal);
    return c.reply.status(201).header(H.location, `/v2/${name}/blobs/${info.digest}`).header(H.digest, info.digest).send();
  }
  const upload = await c.registry.uploads.start(c.principal, name);
  return c.reply
    .status(202)
    .header(H.location, uploadLocation(name, upload.id))
    .header(H.uploadUuid, upload.id)
    .header(H.range, uploadRange(upload.size))
    .send();
}

/**
 * Whether the caller's bearer token was granted without pull on the mount's source although the Fly token it
 * is bound to may pull there: then a token with that scope would mount. A caller that may not pull the source
 * gets the plain fallback (an upload session), which says nothing about what the source holds.
 */
function bearerLacksSource(c: OciContext, from: string): boolean {
  const { scope, grants } = c.principal;
  if (scope === null || grantsAllow(scope, OCI_PROTOCOL, from, 'pull')) return false;
  return grantsAllow(grants, OCI_PROTOCOL, from, 'pull');
}

/** `PATCH /v2/<name>/blobs/uploads/<id>`: a chunk (with `Content-Range`) or the whole stream (without). */
export async function appendUpload(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const id = c.params.id as string;
  const range = await chunkRange(c, name, id);
  const upload = await c.registry.uploads.append(name, id, bodyStream(c.request), { range, contentLength: contentLength(c.request), signal: c.signal });
  return c.reply
    .status(202)
    .header(H.location, uploadLocation(name, id))
    .header(H.uploadUuid, id)
    .header(H.range, uploadRange(upload.size))
    .send();
}

/** `PUT /v2/<name>/blobs/uploads/<id>?digest=`: closes the upload (with an optional last chunk). */
export async function completeUpload(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const digest = parseDigest(c.query.get('digest') ?? undefined);
  const id = c.params.id as string;
  const last = hasBody(c.request) ? bodyStream(c.request) : undefined;
  const range = last ? await chunkRange(c, name, id) : undefined;
  const info = await c.registry.uploads.complete(name, id, digest, last, { range, contentLength: contentLength(c.request), signal: c.signal });
  return c.reply.status(201).header(H.location, `/v2/${name}/blobs/${info.digest}`).header(H.digest, info.digest).send();
}

/** The chunk's `Content-Range`, when it has one (a PATCH chunk, or the last chunk a PUT carries). */
async function chunkRange(c: OciContext, name: string, id: string): Promise<ChunkRange | undefined> {
  const header = c.request.headers['content-range'];
  if (header === undefined) return undefined;
  return parseContentRange(header, (await c.registry.uploads.status(name, id)).size);
}

/** `GET /v2/<name>/blobs/uploads/<id>`: how much arrived (204 + `Range`), to resume. */
export async function uploadStatus(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const id = c.params.id as string;
  const upload = await c.registry.uploads.status(name, id);
  return c.reply.status(204).header(H.location, uploadLocation(name, id)).header(H.uploadUuid, id).header(H.range, uploadRange(upload.size)).send();
}

/** `DELETE /v2/<name>/blobs/uploads/<id>`: cancels the upload and drops its bytes. */
export async function cancelUpload(c: OciContext): Promise<unknown> {
  await c.registry.uploads.cancel(c.params.name as string, c.params.id as string);
  return c.reply.status(204).send();
}
