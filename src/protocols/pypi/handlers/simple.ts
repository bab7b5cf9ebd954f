import type { FastifyReply } from 'fastify';
import { normalizeProjectName } from '../../../core/pypi/names.js';
import { projectHtml, projectJson, rootHtml, rootJson, SIMPLE_CONTENT_TYPES } from '../../../core/pypi/simple-index.js';
import { PypiErrors } from '../errors.js';
import { negotiateSimpleFormat, type SimpleFormat } from '../negotiate.js';
import type { Rendered } from '../../../core/packages/project-cache.js';
import type { PypiService } from '../../../core/pypi/pypi-service.js';
import { sendAnswer, type Answer, type MemoryCall } from '../../kit/route.js';
import type { PypiContext } from '../route.js';

const PROJECT_RENDERERS = { json: projectJson, html: projectHtml, legacyHtml: projectHtml };

function formatFor(accept: string | undefined) {
  const chosen = negotiateSimpleFormat(accept);
  if (!chosen) throw PypiErrors.notAcceptable();
  return chosen;
}

/** PEP 503: a URL without its trailing slash, or a name not in normal form, redirects to the canonical URL. */
export function redirectTo(c: PypiContext, path: string): FastifyReply {
  return c.reply.redirect(`${c.mount.prefix}${path}`, 301);
}

export async function rootIndex(c: PypiContext): Promise<FastifyReply> {
  const { format, type } = formatFor(c.request.headers.accept);
  const projects = await c.service.projects(c.principal);
  void c.reply.header('vary', 'Accept').header('cache-control', 'private, no-cache').type(type);
  return c.reply.send(format === 'json' ? rootJson(projects) : rootHtml(projects));
}

export async function projectPage(c: PypiContext): Promise<FastifyReply> {
  const { format, type } = formatFor(c.request.headers.accept);
  const result = await c.service.page(c.params.project ?? '', format, PROJECT_RENDERERS[format]);
  if (result.kind === 'redirect') return redirectTo(c, `/simple/${encodeURIComponent(result.name)}/`);
  return sendAnswer(c.reply, projectAnswer(result.page, format, type, c.request.headers['if-none-match']));
}

/** projectPage when the project is in memory (a redirect is left to it). */
export function projectPageFromMemory(c: MemoryCall, service: PypiService): Answer | undefined {
  const { format, type } = formatFor(c.headers.accept);
  const page = service.pageInMemory(c.params.project ?? '', format, PROJECT_RENDERERS[format]);
  return page && projectAnswer(page, format, type, c.headers['if-none-match']);
}

/** JSON with its charset, as Fastify completes a JSON type for a text body: both lanes send the same header. */
const JSON_CONTENT_TYPE = `${SIMPLE_CONTENT_TYPES.json}; charset=utf-8`;

function projectAnswer(page: Rendered, format: SimpleFormat, type: string, ifNoneMatch: string | undefined): Answer {
  if (ifNoneMatch === page.etag) return { status: 304, headers: { vary: 'Accept', 'cache-control': 'private, no-cache', etag: page.etag } };
  const contentType = format === 'json' ? JSON_CONTENT_TYPE : type;
  return { status: 200, headers: { vary: 'Accept', 'cache-control': 'private, no-cache', etag: page.etag, 'content-type': contentType }, body: page.body };
}

/** `/simple/<name>` (no slash): straight to the canonical `/simple/<normalised>/`. */
export async function projectPageWithoutSlash(c: PypiContext): Promise<FastifyReply> {
  return redirectTo(c, `/simple/${encodeURIComponent(normalizeProjectName(c.params.project ?? ''))}/`);
}
