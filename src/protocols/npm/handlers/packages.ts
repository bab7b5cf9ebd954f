import type { NpmContext } from '../route.js';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** npm install asks for the abbreviated form; `npm view`, deprecate and unpublish (`?write=true`) for the full one. */
function wantsFull({ request }: NpmContext): boolean {
  const query = request.query as Record<string, unknown>;
  if (query.write === 'true') return true;
  return !(request.headers.accept ?? '').includes(ABBREVIATED);
}

export async function getPackument(c: NpmContext): Promise<unknown> {
  const full = wantsFull(c);
  const { body, etag } = await c.registry.packument(c.name, full ? 'full' : 'abbreviated', c.mountPath);
  void c.reply.header('etag', etag).header('vary', 'accept').type(full ? 'application/json' : ABBREVIATED);
  if (c.request.headers['if-none-match'] === etag) return c.reply.status(304).send();
  return c.reply.send(body);
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
