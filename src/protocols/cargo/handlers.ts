import type { FastifyReply } from 'fastify';
import type { CrateView } from '../../core/cargo/crates.js';
import { indexPath } from '../../core/cargo/names.js';
import { Errors } from '../../core/errors.js';
import { bodyOf } from '../kit/bodies.js';
import type { Crates } from '../../core/cargo/crates.js';
import { revalidatedAnswer, sendAnswer, type Answer, type MemoryCall } from '../kit/route.js';
import type { CargoContext } from './route.js';

/** `index/config.json`: where downloads and the web API are, and that every request needs the token. */
export async function config(c: CargoContext): Promise<FastifyReply> {
  return c.reply.type('application/json').send({ dl: `${c.base}/api/v1/crates`, api: c.base, 'auth-required': true });
}

/** The crate an index path names, only at the path Cargo's layout gives its name (else not found). */
function indexFileName(params: Record<string, string>): string {
  const path = params['*'] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!name || indexPath(name) !== path || name !== name.toLowerCase()) throw Errors.notFound('Index file', path);
  return name;
}

/** The crate's index file, revalidated by its entity tag. */
function indexAnswer(view: CrateView, name: string, ifNoneMatch: string | undefined): Answer {
  // Another spelling of the same crate (foo_bar for foo-bar) is not this file: cargo then tries the other.
  if (view.name.toLowerCase() !== name) throw Errors.notFound('Crate', name);
  return revalidatedAnswer(view.etag, ifNoneMatch, 'text/plain; charset=utf-8', view.index);
}

/** `index/<prefix>/<name>`: the crate's index file. */
export async function indexFile(c: CargoContext): Promise<FastifyReply> {
  const name = indexFileName(c.params);
  return sendAnswer(c.reply, indexAnswer(await c.crates.crate(name), name, c.request.headers['if-none-match']));
}

/** indexFile() when this process holds the crate's view. */
export function indexFileFromMemory(c: MemoryCall, crates: Crates): Answer | undefined {
  const name = indexFileName(c.params);
  const view = crates.crateInMemory(name);
  return view && indexAnswer(view, name, c.headers['if-none-match']);
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
