import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROTOCOLS } from '../protocols/registry.js';

/** Where `vite build` puts Fly Web: dist/web, next to this module's own dist/web-ui. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

/**
 * Paths that belong to the API and the protocols (every prefix of the protocol registry, and the whole
 * Artifactory-shaped `/artifactory` namespace their long forms live in). The dashboard's fallback never
 * answers under them, so a mistyped API or registry URL still gets that protocol's own 404, never an HTML page.
 */
const RESERVED_PREFIXES = ['/api', '/artifactory', '/mcp', '/healthz', '/readyz', '/metrics', ...PROTOCOLS.flatMap((p) => p.prefixes)];

/**
 * Docker's retired v1 API (`docker search` and `podman search` call /v1/search): no dashboard page lives
 * there, and those clients need JSON to print an error instead of failing to parse HTML.
 */
const CLIENT_API_PREFIXES = ['/v1'];

/** A browser navigating asks for HTML (or anything); API clients ask for JSON or send no Accept at all. */
function wantsPage(accept: string | undefined): boolean {
  return accept !== undefined && (accept.includes('text/html') || accept.includes('*/*'));
}

function notFoundJson(reply: FastifyReply, path: string): FastifyReply {
  const message =
    `No such endpoint: ${path}. Fly Registry serves Docker/OCI at /v2/ (search is not supported: browse the Packages page ` +
    'of the dashboard or GET /api/v1/packages?q=), npm at /npm/, PyPI at /pypi/simple/ and its API at /api/v1/';
  // Both the OCI error shape (docker, podman) and the management API's, so either kind of client can print it.
  return reply.status(404).send({ errors: [{ code: 'NOT_FOUND', message }], error: { code: 'not_found', message } });
}

export function isReservedPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The page's own code is the only script and style it may load or talk to; it may not be framed.
 * React sets inline styles through the CSSOM, which style-src 'self' allows.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(reply: FastifyReply): FastifyReply {
  // The invitation page's URL holds a one-time secret: never send it onwards as a Referer.
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache');
}

export interface WebUiOptions {
  /** The built app (index.html + assets/); defaults to dist/web. */
  root?: string;
}

/**
 * Serves Fly Web at `/`: the built files, and index.html for any other GET outside the reserved
 * prefixes so that client-side routes (/tokens, /invite/<token>, …) survive a reload or a shared link.
 */
export async function webUiPlugin(app: FastifyInstance, options: WebUiOptions = {}): Promise<void> {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  if (!existsSync(`${root}/index.html`)) {
    app.log.warn({ root }, 'the web dashboard is not built (run npm run build): / will not serve it');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file, so no catch-all from the plugin competes with the SPA fallback below.
    wildcard: false,
    index: false,
    setHeaders(res: FastifyReply, path: string) {
      // Vite fingerprints everything under assets/: a changed file gets a new name, so cache for good.
      if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      res.header('x-content-type-options', 'nosniff');
    },
  });

  const sendIndex = (reply: FastifyReply) => pageHeaders(reply).sendFile('index.html', root, { cacheControl: false });
  app.get('/', (_request, reply) => sendIndex(reply));
  app.get('/*', (request, reply) => {
    // A missing fingerprinted asset is a real 404 (a stale tab must not execute HTML as a script).
    if (isReservedPath(request.url) || request.url.startsWith('/assets/')) return reply.callNotFound();
    const path = request.url.split('?')[0] ?? '';
    const clientApi = CLIENT_API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    return clientApi || !wantsPage(request.headers.accept) ? notFoundJson(reply, path) : sendIndex(reply);
  });
}
