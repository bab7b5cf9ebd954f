import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { mountedAs, type ProtocolDefinition } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { routeContext, type ProtocolRoute, type RouteContext } from '../kit/route.js';
import { sendPlainError, sendPlainFailure } from './wire.js';

/** What a path-addressed protocol's handlers get from the kit: its core service, the request, the caller. */
export interface HostedContext<S> extends RouteContext {
  service: S;
}

/** Its `fromMemory` answers get the core service besides the call. */
export type HostedRoute<S> = ProtocolRoute<HostedContext<S>, S>;

/** Mounts a path-addressed protocol (Maven, generic files) through the kit, its handlers calling `service`. */
export async function mountHostedProtocol<S>(app: FastifyInstance, core: Core, definition: ProtocolDefinition, routes: readonly HostedRoute<S>[], service: S): Promise<void> {
  await mountProtocol<HostedContext<S>, S>(app, core, {
    ...mountHostedFiles(definition),
    routes,
    context: (call) => routeContext(call, { service }),
    services: service,
  });
}

/**
 * What the kit needs to mount a repository addressed by path (Maven, generic files): Fastify's router
 * (one wildcard), bodies left unparsed for streaming, errors as plain text with the reason phrase.
 */
function mountHostedFiles(definition: ProtocolDefinition) {
  return {
    ...mountedAs(definition),
    router: 'fastify' as const,
    loginHint: 'Authentication required: use your token username (or __token__) and the token as password',
    streamBodies: true,
    sendError: sendPlainFailure,
    notFound: (request: FastifyRequest, reply: FastifyReply) => sendPlainError(reply, 404, `Not Found: ${request.method} ${request.url.split('?')[0]}`),
  };
}

/** A directory is browsed with a trailing slash, so a listing's relative links resolve below it. */
export function directoryRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('/') ? undefined : reply.redirect(`${path}/`, 301);
}
