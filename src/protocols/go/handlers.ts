import type { FastifyReply } from 'fastify';
import type { Digest } from '../../core/blob-store.js';
import { Errors } from '../../core/errors.js';
import { checkModuleVersion } from '../../core/go/go-modules.js';
import { bodyOf } from '../kit/bodies.js';
import type { GoRequest } from './paths.js';
import type { GoContext } from './route.js';

const notProxyPath = (target: GoRequest) =>
  Errors.notFound('Path', target.kind === 'unknown' ? target.reason : 'unsupported here');

async function sendBlob(c: GoContext, blob: { digest: Digest; size: number }, type: string): Promise<FastifyReply> {
  // Versions are immutable and the file content-addressed: the digest is a perfect entity tag.
  const etag = `"${blob.digest}"`;
  void c.reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
  if (c.request.headers['if-none-match'] === etag) return c.reply.status(304).send();
  return c.reply.type(type).header('content-length', String(blob.size)).send(await c.blobs.open(blob.digest));
}

/** GET: `@v/list`, `@latest`, and a version's `.info`, `.mod` and `.zip`. */
export async function read(c: GoContext): Promise<FastifyReply> {
  const t = c.target;
  switch (t.kind) {
    case 'list': {
      const view = await c.modules.module(t.module);
      void c.reply.header('etag', view.listEtag).header('cache-control', 'private, no-cache');
      if (c.request.headers['if-none-match'] === view.listEtag) return c.reply.status(304).send();
      return c.reply.type('text/plain; charset=utf-8').send(view.list);
    }
    case 'latest':
      return c.reply.type('application/json').header('cache-control', 'private, no-cache').send((await c.modules.latest(t.module)).info);
    case 'file': {
      checkModuleVersion(t.module, t.version);
      const v = await c.modules.version(t.module, t.version);
      if (t.ext === 'info') return c.reply.type('application/json').send(v.info);
      if (t.ext === 'mod') return sendBlob(c, v.mod, 'text/plain; charset=utf-8');
      return sendBlob(c, v.zip, 'application/zip');
    }
    default:
      throw notProxyPath(t);
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
