import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProtocolDefinition } from '../kit/definition.js';
import { plainErrorHandler, sendPlainError } from './wire.js';

/**
 * What the kit needs to mount a repository addressed by path (Maven, generic files): Fastify's router
 * (one wildcard), bodies left unparsed for streaming, errors as plain text with the reason phrase.
 */
export function mountHostedFiles(definition: ProtocolDefinition) {
  return {
    protocol: definition.id,
    title: definition.title,
    prefixes: definition.prefixes,
    router: 'fastify' as const,
    loginHint: 'Authentication required: use your token username (or __token__) and the token as password',
    setup(scope: import('fastify').FastifyInstance) {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    },
    sendError: (error: unknown, request: FastifyRequest, reply: FastifyReply) => plainErrorHandler(error instanceof Error ? error : new Error(String(error)), request, reply),
    notFound: (request: FastifyRequest, reply: FastifyReply) => sendPlainError(reply, 404, `Not Found: ${request.method} ${request.url.split('?')[0]}`),
  };
}

/** A directory is browsed with a trailing slash, so a listing's relative links resolve below it. */
export function directoryRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('/') ? undefined : reply.redirect(`${path}/`, 301);
}
