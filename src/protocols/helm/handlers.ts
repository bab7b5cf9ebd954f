import type { FastifyReply } from 'fastify';
import type { RenderedIndex } from '../../core/helm/chart-index.js';
import { bodyOf } from '../kit/bodies.js';
import type { Charts } from '../../core/helm/charts.js';
import { revalidatedAnswer, sendAnswer, type Answer, type MemoryCall } from '../kit/route.js';
import type { HelmContext } from './route.js';

/** index.yaml as the caller sees it, revalidated by its entity tag. */
function indexAnswer(index: RenderedIndex, ifNoneMatch: string | undefined): Answer {
  return revalidatedAnswer(index.etag, ifNoneMatch, 'application/x-yaml', index.text);
}

export async function indexYaml(c: HelmContext): Promise<FastifyReply> {
  return sendAnswer(c.reply, indexAnswer(await c.charts.index(c.principal), c.request.headers['if-none-match']));
}

/** indexYaml() when this process holds the rendered index. */
export function indexYamlFromMemory(c: MemoryCall, charts: Charts): Answer | undefined {
  const index = charts.indexInMemory(c.principal);
  return index && indexAnswer(index, c.headers['if-none-match']);
}

export async function download(c: HelmContext): Promise<FastifyReply> {
  const file = await c.charts.file(c.principal, c.params.filename ?? '');
  void c.reply.header('cache-control', 'private, max-age=31536000, immutable');
  return c.reply.type('application/gzip').header('content-length', String(file.size)).send(await c.blobs.open(file.digest));
}

/** PUT `charts/<name>-<version>.tgz`: the file name must be the one Chart.yaml gives. */
export async function put(c: HelmContext): Promise<FastifyReply> {
  const chart = await c.charts.upload(c.principal, bodyOf(c.request), c.params.filename ?? '', c.ctx);
  return c.reply.status(201).send({ saved: true, name: chart.name, version: chart.version });
}

/** ChartMuseum's `POST /api/charts` with the archive as the body. */
export async function post(c: HelmContext): Promise<FastifyReply> {
  const chart = await c.charts.upload(c.principal, bodyOf(c.request), null, c.ctx);
  return c.reply.status(201).send({ saved: true, name: chart.name, version: chart.version });
}

/** ChartMuseum's `DELETE /api/charts/<name>/<version>`. */
export async function remove(c: HelmContext): Promise<FastifyReply> {
  await c.charts.deleteVersion(c.principal, c.params.name ?? '', c.params.version ?? '', c.ctx);
  return c.reply.send({ deleted: true });
}
