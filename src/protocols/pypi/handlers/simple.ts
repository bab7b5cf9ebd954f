import type { FastifyReply } from 'fastify';
import { normalizeProjectName } from '../../../core/pypi/names.js';
import { projectHtml, projectJson, rootHtml, rootJson } from '../../../core/pypi/simple-index.js';
import { PypiErrors } from '../errors.js';
import { negotiateSimpleFormat } from '../negotiate.js';
import type { PypiContext } from '../route.js';

const PROJECT_RENDERERS = { json: projectJson, html: projectHtml, legacyHtml: projectHtml };

function formatFor(c: PypiContext) {
  const chosen = negotiateSimpleFormat(c.request.headers.accept);
  if (!chosen) throw PypiErrors.notAcceptable();
  return chosen;
}

/** PEP 503: a URL without its trailing slash, or a name not in normal form, redirects to the canonical URL. */
export function redirectTo(c: PypiContext, path: string): FastifyReply {
  return c.reply.redirect(`${c.mount.prefix}${path}`, 301);
}

export async function rootIndex(c: PypiContext): Promise<FastifyReply> {
  const { format, type } = formatFor(c);
  const projects = await c.service.projects(c.principal);
  void c.reply.header('vary', 'Accept').header('cache-control', 'private, no-cache').type(type);
  return c.reply.send(format === 'json' ? rootJson(projects) : rootHtml(projects));
}

export async function projectPage(c: PypiContext): Promise<FastifyReply> {
  const { format, type } = formatFor(c);
  const result = await c.service.page(c.params.project ?? '', format, PROJECT_RENDERERS[format]);
  if (result.kind === 'redirect') return redirectTo(c, `/simple/${encodeURIComponent(result.name)}/`);
  void c.reply.header('vary', 'Accept').header('cache-control', 'private, no-cache').header('etag', result.page.etag);
  if (c.request.headers['if-none-match'] === result.page.etag) return c.reply.status(304).send();
  return c.reply.type(type).send(result.page.text);
}

/** `/simple/<name>` (no slash): straight to the canonical `/simple/<normalised>/`. */
export async function projectPageWithoutSlash(c: PypiContext): Promise<FastifyReply> {
  return redirectTo(c, `/simple/${encodeURIComponent(normalizeProjectName(c.params.project ?? ''))}/`);
}
