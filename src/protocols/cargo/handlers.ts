import type { FastifyReply } from 'fastify';
import { indexPath } from '../../core/cargo/names.js';
import { Errors } from '../../core/errors.js';
import { bodyOf } from '../kit/bodies.js';
import type { CargoContext } from './route.js';

/** `index/config.json`: where downloads and the web API are, and that every request needs the token. */
export async function config(c: CargoContext): Promise<FastifyReply> {
  return c.reply.type('application/json').send({ dl: `${c.base}/api/v1/crates`, api: c.base, 'auth-required': true });
}

/** `index/<prefix>/<name>`: the crate's index file, only at the path Cargo's layout gives its name. */
export async function indexFile(c: CargoContext): Promise<FastifyReply> {
  const path = c.params['*'] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!name || indexPath(name) !== path || name !== name.toLowerCase()) throw Errors.notFound('Index file', path);
  const view = await c.crates.crate(name);
  // Another spelling of the same crate (foo_bar for foo-bar) is not this file: cargo then tries the other.
  if (view.name.toLowerCase() !== name) throw Errors.notFound('Crate', name);
  void c.reply.header('etag', view.etag).header('cache-control', 'private, no-cache');
  if (c.request.headers['if-none-match'] === view.etag) return c.reply.status(304).send();
  return c.reply.type('text/plain; charset=utf-8').send(view.index);
}

export async function download(c: CargoContext): Promise<FastifyReply> {
  const file = await c.crates.download(c.params.name ?? '', c.params.version ?? '');
  void c.reply.header('cache-control', 'private, max-age=31536000, immutable');
  return c.reply.type('application/gzip').header('content-length', String(file.size)).send(await c.blobs.open(file.digest));
}

export async function publish(c: CargoContext): Promise<FastifyReply> {
  await c.crates.publish(c.principal, bodyOf(c.request), c.ctx);
  const notice = c.notice();
  return c.reply.send({ warnings: { invalid_categories: [], invalid_badges: [], other: notice === null ? [] : [notice] } });
}

export const yank = (yanked: boolean) => async (c: CargoContext): Promise<FastifyReply> => {
  await c.crates.setYanked(c.principal, c.params.name ?? '', c.params.version ?? '', yanked, c.ctx);
  return c.reply.send({ ok: true });
};

/** `DELETE /api/v1/crates/<name>/<version>`: removes the version (its .crate becomes garbage for `flyreg gc`). */
export async function removeVersion(c: CargoContext): Promise<FastifyReply> {
  await c.crates.deleteVersion(c.principal, c.params.name ?? '', c.params.version ?? '', c.ctx);
  return c.reply.send({ ok: true });
}
