import type { FileView, ProjectView } from './project-view.js';

/**
 * The Simple Repository API pages: PEP 503 HTML and PEP 691 JSON, with PEP 592 yanks, PEP 629 version,
 * PEP 658/714 core metadata and PEP 700 versions/size/upload-time. URLs are relative to the page, so the
 * same text serves every mount point and host the request came through, and pip resends the index's
 * credentials to them (same host).
 */
export const SIMPLE_API_VERSION = '1.1';

export const SIMPLE_CONTENT_TYPES = {
  json: 'application/vnd.pypi.simple.v1+json',
  html: 'application/vnd.pypi.simple.v1+html',
  legacyHtml: 'text/html',
} as const;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** From a project page (`…/simple/<name>/`) to where its files are served (`…/packages/<name>/<file>`). */
export function relativeFileUrl(project: string, filename: string): string {
  return `../../packages/${encodeURIComponent(project)}/${encodeURIComponent(filename)}`;
}

function htmlPage(title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html>\n  <head>\n' +
    `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">\n` +
    `    <title>${escapeHtml(title)}</title>\n  </head>\n  <body>\n    <h1>${escapeHtml(title)}</h1>\n${body}  </body>\n</html>\n`
  );
}

function fileAnchor(project: string, file: FileView): string {
  const attrs = [`href="${escapeHtml(relativeFileUrl(project, file.filename))}#sha256=${file.meta.sha256}"`];
  if (file.meta.requiresPython) attrs.push(`data-requires-python="${escapeHtml(file.meta.requiresPython)}"`);
  if (file.meta.coreMetadata) attrs.push(`data-core-metadata="sha256=${file.meta.coreMetadata.sha256}"`);
  if (file.yanked !== false) attrs.push(`data-yanked="${escapeHtml(file.yanked)}"`);
  return `    <a ${attrs.join(' ')}>${escapeHtml(file.filename)}</a><br/>\n`;
}

export function projectHtml(view: ProjectView): string {
  return htmlPage(`Links for ${view.name}`, view.files.map((f) => fileAnchor(view.name, f)).join(''));
}

export function projectJson(view: ProjectView): string {
  return JSON.stringify({
    meta: { 'api-version': SIMPLE_API_VERSION },
    name: view.name,
    versions: view.releases.map((r) => r.version),
    files: view.files.map((f) => ({
      filename: f.filename,
      url: relativeFileUrl(view.name, f.filename),
      hashes: { sha256: f.meta.sha256 },
      'requires-python': f.meta.requiresPython ?? undefined,
      'core-metadata': f.meta.coreMetadata ? { sha256: f.meta.coreMetadata.sha256 } : false,
      // PEP 691: true when yanked without a reason, the reason when there is one.
      yanked: f.yanked === false ? false : f.yanked || true,
      size: f.size,
      'upload-time': f.uploadedAt.toISOString(),
    })),
  });
}

export interface IndexEntry {
  name: string;
  displayName: string;
}

export function rootHtml(projects: IndexEntry[]): string {
  const links = projects.map((p) => `    <a href="${escapeHtml(encodeURIComponent(p.name))}/">${escapeHtml(p.displayName)}</a><br/>\n`);
  return htmlPage('Simple index', links.join(''));
}

export function rootJson(projects: IndexEntry[]): string {
  return JSON.stringify({ meta: { 'api-version': SIMPLE_API_VERSION }, projects: projects.map((p) => ({ name: p.name })) });
}
