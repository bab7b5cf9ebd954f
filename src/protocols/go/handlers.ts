import type { FastifyReply } from 'fastify';
import type { Digest } from '../../core/blob-store.js';
import { Errors } from '../../core/errors.js';
import { checkModuleVersion } from '../../core/go/go-modules.js';
import type { GoModuleView, GoVersionView } from '../../core/go/module-view.js';
import { bodyOf } from '../kit/bodies.js';
import type { GoModules } from '../../core/go/go-modules.js';
import { revalidatedAnswer, sendAnswer, type Answer, type MemoryCall } from '../kit/route.js';
import { goTarget, type GoRequest } from './paths.js';
import type { GoContext } from './route.js';

/** Fastify adds the charset to a JSON type when it sends a string: the memory lane's answer says it itself. */
const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const REVALIDATE = 'private, no-cache';
const IMMUTABLE = 'private, max-age=31536000, immutable';

const notProxyPath = (target: GoRequest) =>
  Errors.notFound('Path', target.kind === 'unknown' ? target.reason : 'unsupported here');

/** `@v/list`: the versions, one a line, with an entity tag that changes when they do. */
function listAnswer(view: GoModuleView, ifNoneMatch: string | undefined): Answer {
  return revalidatedAnswer(view.listEtag, ifNoneMatch, TEXT_TYPE, view.list);
}

/** A version's `.info`; `@latest` answers the same document, revalidated every time. */
function infoAnswer(v: GoVersionView, latest: boolean): Answer {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE };
  if (latest) headers['cache-control'] = REVALIDATE;
  return { status: 200, headers, body: v.info };
}

/**
 * A version's `.mod` or `.zip`: immutable and content-addressed, so the digest is a perfect entity tag. The
 * answer's body is the bytes when in memory; without them, its headers for a streamed body.
 */
function blobAnswer(blob: { digest: Digest; size: number }, type: string, ifNoneMatch: string | undefined, bytes?: Buffer): Answer {
  const etag = `"${blob.digest}"`;
  if (ifNoneMatch === etag) return { status: 304, headers: { etag, 'cache-control': IMMUTABLE } };
  const answer: Answer = { status: 200, headers: { etag, 'cache-control': IMMUTABLE, 'content-type': type, 'content-length': String(blob.size) } };
  if (bytes) answer.body = bytes;
  return answer;
}

async function sendBlob(c: GoContext, blob: { digest: Digest; size: number }, type: string): Promise<FastifyReply> {
  const answer = blobAnswer(blob, type, c.request.headers['if-none-match']);
  if (answer.status !== 200) return sendAnswer(c.reply, answer);
  return c.reply.status(200).headers(answer.headers).send(await c.blobs.open(blob.digest));
}

/** GET: `@v/list`, `@latest`, and a version's `.info`, `.mod` and `.zip`. */
export async function read(c: GoContext): Promise<FastifyReply> {
  const t = c.target;
  const ifNoneMatch = c.request.headers['if-none-match'];
  switch (t.kind) {
    case 'list':
      return sendAnswer(c.reply, listAnswer(await c.modules.module(t.module), ifNoneMatch));
    case 'latest':
      return sendAnswer(c.reply, infoAnswer(await c.modules.latest(t.module), true));
    case 'file': {
      checkModuleVersion(t.module, t.version);
      const v = await c.modules.version(t.module, t.version);
      if (t.ext === 'info') return sendAnswer(c.reply, infoAnswer(v, false));
      if (t.ext === 'zip') return sendBlob(c, v.zip, 'application/zip');
      const bytes = await c.modules.modBytes(v);
      return bytes ? sendAnswer(c.reply, blobAnswer(v.mod, TEXT_TYPE, ifNoneMatch, bytes)) : sendBlob(c, v.mod, TEXT_TYPE);
    }
    default:
      throw notProxyPath(t);
  }
}

/** read() for what this process holds in memory: the module's view (and a small go.mod's bytes); zips stream. */
export function readFromMemory(c: MemoryCall, modules: GoModules): Answer | undefined {
  const t = goTarget(c.params);
  if (t.kind !== 'list' && t.kind !== 'latest' && t.kind !== 'file') return undefined;
  const view = modules.moduleInMemory(t.module);
  if (!view) return undefined;
  const ifNoneMatch = c.headers['if-none-match'];
  switch (t.kind) {
    case 'list':
      return listAnswer(view, ifNoneMatch);
    case 'latest':
      return view.latest && infoAnswer(view.latest, true);
    case 'file': {
      // A version in the module's view passed checkModuleVersion when it was published; any other goes on to
      // read(), which checks it and answers the error.
      const v = view.byVersion.get(t.version);
      if (!v || t.ext === 'zip') return undefined;
      if (t.ext === 'info') return infoAnswer(v, false);
      const bytes = modules.modInMemory(v);
      return bytes && blobAnswer(v.mod, TEXT_TYPE, ifNoneMatch, bytes);
    }
  }
}

/** PUT `<module>/@v/<version>.zip`: publishes the version from its module zip (its go.mod is read from it). */
export async function upload(c: GoContext): Promise<FastifyReply> {
  const t = c.target;
  if (t.kind !== 'file' || t.ext !== 'zip') {
    const why = t.kind === 'unknown' ? `${t.reason}: ` : '';
    throw Errors.validation(`${why}upload a module version as PUT <module>/@v/<version>.zip with the module zip as body (its go.mod is taken from the zip)`);
  }
  const published = await c.modules.publish(c.principal, t.module, t.version, bodyOf(c.request), c.ctx);
  return c.reply.status(201).send(published);
}

/** DELETE `<module>/@v/<version>`. */
export async function remove(c: GoContext): Promise<FastifyReply> {
  const t = c.target;
  if (t.kind !== 'version') throw notProxyPath(t);
  await c.modules.deleteVersion(c.principal, t.module, t.version, c.ctx);
  return c.reply.status(204).send();
}
