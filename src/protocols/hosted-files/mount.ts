import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plainErrorHandler, sendPlainError } from './wire.js';

export type PathHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * Mounts a repository addressed by path (Maven, generic files) under one prefix: GET (HEAD follows),
 * PUT and DELETE of any path below it, bodies left unparsed for streaming, errors as plain text.
 */
export function mountPathRoutes(app: FastifyInstance, handlers: Record<'GET' | 'PUT' | 'DELETE', PathHandler>): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.setErrorHandler(plainErrorHandler);
  app.setNotFoundHandler((request, reply) => sendPlainError(reply, 404, `Not Found: ${request.method} ${request.url.split('?')[0]}`));
  for (const [method, handler] of Object.entries(handlers)) {
    for (const url of ['/', '/*']) app.route({ method, url, handler });
  }
}

/** A directory is browsed with a trailing slash, so a listing's relative links resolve below it. */
export function directoryRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('/') ? undefined : reply.redirect(`${path}/`, 301);
}
