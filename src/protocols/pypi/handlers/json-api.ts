import type { FastifyReply } from 'fastify';
import { projectApiJson, releaseApiJson } from '../../../core/pypi/json-api.js';
import type { PypiContext } from '../route.js';
import { redirectTo } from './simple.js';

/** Where this route's JSON lives under the mount (`/pypi/<name>…/json`, or `/<name>…/json` on the short one). */
function jsonPath(c: PypiContext, name: string, version?: string): string {
  const base = c.request.routeOptions.url?.startsWith(`${c.mount.prefix}/pypi/`) ? '/pypi' : '';
  return `${base}/${encodeURIComponent(name)}${version ? `/${encodeURIComponent(version)}` : ''}/json`;
}

/** PyPI's JSON project API: `/pypi/<name>/json`. */
export async function projectJsonApi(c: PypiContext): Promise<FastifyReply> {
  const result = await c.service.page(c.params.project ?? '', `api ${c.mount.prefix}`, (view) => projectApiJson(view, c.mount.filesBase));
  if (result.kind === 'redirect') return redirectTo(c, jsonPath(c, result.name));
  return c.reply.header('cache-control', 'private, no-cache').type('application/json; charset=utf-8').send(result.page.body);
}

/** `/pypi/<name>/<version>/json`: one release. */
export async function releaseJsonApi(c: PypiContext): Promise<FastifyReply> {
  const result = await c.service.release(c.params.project ?? '', c.params.version ?? '');
  if ('redirect' in result) return redirectTo(c, jsonPath(c, result.redirect, c.params.version));
  return c.reply
    .header('cache-control', 'private, no-cache')
    .type('application/json')
    .send(releaseApiJson(result.view, result.release, c.mount.filesBase));
}
