import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Principal } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { Charts } from '../../core/helm/charts.js';
import { requestContext } from '../../http/credentials.js';

export interface HelmContext {
  charts: Charts;
  blobs: BlobStore;
  request: FastifyRequest;
  reply: FastifyReply;
  principal: Principal;
  params: Record<string, string>;
}

export async function indexYaml(c: HelmContext): Promise<FastifyReply> {
  const index = await c.charts.index();
  void c.reply.header('etag', index.etag).header('cache-control', 'private, no-cache');
  if (c.request.headers['if-none-match'] === index.etag) return c.reply.status(304).send();
  return c.reply.type('application/x-yaml').send(index.text);
}

export async function download(c: HelmContext): Promise<FastifyReply> {
  const file = await c.charts.file(c.params.filename ?? '');
  void c.reply.header('cache-control', 'private, max-age=31536000, immutable');
  return c.reply.type('application/gzip').header('content-length', String(file.size)).send(await c.blobs.open(file.digest));
}

/** PUT `charts/<name>-<version>.tgz`: the file name must be the one Chart.yaml gives. */
export async function put(c: HelmContext): Promise<FastifyReply> {
  const chart = await c.charts.upload(c.principal, c.request.body as Readable, c.params.filename ?? '', requestContext(c.request));
  return c.reply.status(201).send({ saved: true, name: chart.name, version: chart.version });
}

/** ChartMuseum's `POST /api/charts` with the archive as the body. */
export async function post(c: HelmContext): Promise<FastifyReply> {
  const chart = await c.charts.upload(c.principal, c.request.body as Readable, null, requestContext(c.request));
  return c.reply.status(201).send({ saved: true, name: chart.name, version: chart.version });
}

/** ChartMuseum's `DELETE /api/charts/<name>/<version>`. */
export async function remove(c: HelmContext): Promise<FastifyReply> {
  await c.charts.deleteVersion(c.principal, c.params.name ?? '', c.params.version ?? '', requestContext(c.request));
  return c.reply.send({ deleted: true });
}
