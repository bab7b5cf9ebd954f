import type { RenderedPackument } from '../../../core/npm/packument-cache.js';
import type { NpmRegistry } from '../../../core/npm/npm-registry.js';
import { sendAnswer, type Answer, type MemoryCall } from '../../kit/route.js';
import { packageNameOf } from '../package-params.js';
import type { NpmContext } from '../route.js';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** npm install asks for the abbreviated form; `npm view`, deprecate and unpublish (`?write=true`) for the full one. */
function wantsFull(query: string, accept: string | undefined): boolean {
  if (query !== '' && new URLSearchParams(query).get('write') === 'true') return true;
  return !(accept ?? '').includes(ABBREVIATED);
}

export async function getPackument(c: NpmContext): Promise<unknown> {
  const q = c.request.url.indexOf('?');
  const full = wantsFull(q < 0 ? '' : c.request.url.slice(q + 1), c.request.headers.accept);
  const rendered = await c.registry.packument(c.name, full ? 'full' : 'abbreviated', c.mountPath);
  return sendAnswer(c.reply, packumentAnswer(rendered, full, c.request.headers['if-none-match']));
}

/** getPackument when the packument is rendered in memory. */
export function packumentFromMemory(c: MemoryCall, registry: NpmRegistry): Answer | undefined {
  const full = wantsFull(c.query, c.headers.accept);
  const rendered = registry.packumentInMemory(packageNameOf(c.params), full ? 'full' : 'abbreviated', `${c.prefix}/`);
  return rendered && packumentAnswer(rendered, full, c.headers['if-none-match']);
}

function packumentAnswer({ body, etag }: RenderedPackument, full: boolean, ifNoneMatch: string | undefined): Answer {
  // With its charset, as Fastify would complete a JSON type for a text body: both lanes send the same header.
  const headers = { etag, vary: 'accept', 'content-type': `${full ? 'application/json' : ABBREVIATED}; charset=utf-8` };
  return ifNoneMatch === etag ? { status: 304, headers } : { status: 200, headers, body };
}

export async function getTarball(c: NpmContext): Promise<unknown> {
  const { stream, size } = await c.registry.tarball(c.name, c.params.filename ?? '');
  return c.reply.type('application/octet-stream').header('content-length', String(size)).send(stream);
}

/** `npm publish` (and `npm deprecate`, which PUTs the edited packument to the same URL). */
export async function putPackage(c: NpmContext): Promise<unknown> {
  const { rev } = await c.registry.put(c.principal, c.name, c.body, c.ctx);
  return c.reply.status(201).send({ ok: true, id: c.name, rev });
}

/** The first step of `npm unpublish <pkg>@<version>`: the packument without that version. */
export async function putPackageRevision(c: NpmContext): Promise<unknown> {
  const { rev } = await c.registry.update(c.principal, c.name, c.params.rev ?? '', c.body, c.ctx);
  return { ok: true, id: c.name, rev };
}

/** `npm unpublish <pkg> --force`. */
export async function deletePackage(c: NpmContext): Promise<unknown> {
  await c.registry.unpublishPackage(c.principal, c.name, c.params.rev ?? '', c.ctx);
  return { ok: true, id: c.name };
}

export async function deleteTarball(c: NpmContext): Promise<unknown> {
  const { rev } = await c.registry.removeTarball(c.principal, c.name, c.params.filename ?? '', c.params.rev ?? '', c.ctx);
  return { ok: true, id: c.name, rev };
}
