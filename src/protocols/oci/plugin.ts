import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { parseRepositoryName } from '../../core/oci/names.js';
import type { OciRegistry } from '../../core/oci/registry.js';
import { challengeScope } from '../../core/oci/scopes.js';
import { clientGoneSignal } from '../../http/client-gone.js';
import { requestContext } from '../../http/credentials.js';
import { bearerChallenge, sendOciError } from './errors.js';
import { Guard } from './guard.js';
import { RouteMatcher } from './paths.js';
import type { Access, OciContext } from './route.js';
import { OCI_ROUTES } from './routes.js';

export interface OciPluginOptions {
  core: Core;
  registry: OciRegistry;
  publicUrl: URL;
}

const METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/**
 * The OCI Distribution API at /v2/. Repository names contain `/`, so Fastify hands every /v2 request to one
 * wildcard route and the registry's own route table (routes.ts) matches the raw path. Bodies are not parsed:
 * blobs stream from the request into the blob store, manifests are read with a 4 MiB bound.
 */
export async function ociPlugin(app: FastifyInstance, { core, registry, publicUrl }: OciPluginOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const matcher = new RouteMatcher(OCI_ROUTES);
  const guard = new Guard(core, registry);
  const realm = new URL('/v2/token', publicUrl).href;
  const service = publicUrl.host;
  const baseChallenge = bearerChallenge({ realm, service });
  const basicChallenge = `Basic realm="${service}"`;

  app.setErrorHandler((error, request, reply) => sendOciError(error, request, reply, baseChallenge));

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    void reply.header('docker-distribution-api-version', 'registry/2.0');
    const q = request.url.indexOf('?');
    const rawPath = q < 0 ? request.url : request.url.slice(0, q);
    const match = matcher.match(request.method, rawPath === '/v2' ? '/v2/' : rawPath);
    let challenge = baseChallenge;
    try {
      if (!('route' in match)) {
        if (match.allowed.length > 0) {
          throw Errors.methodNotAllowed(request.method, match.allowed);
        }
        throw Errors.notFound('Registry endpoint', `${request.method} ${rawPath.slice(0, 200)}`);
      }
      const { route, params } = match;
      if (route.action === 'token') challenge = basicChallenge;
      if (params.name !== undefined) {
        params.name = parseRepositoryName(params.name);
        if (route.action === 'pull' || route.action === 'push' || route.action === 'delete') {
          challenge = bearerChallenge({ realm, service, scope: challengeScope(params.name, route.action) });
        }
      } else if (route.action === 'catalog') {
        challenge = bearerChallenge({ realm, service, scope: 'registry:catalog:*' });
      }
      const ctx = requestContext(request);
      let access: Access | undefined;
      if (route.action !== 'token') {
        access = await guard.authenticate(request, ctx);
        guard.authorizeRoute(access, route.action, params.name);
      }
      let signal: AbortSignal | undefined;
      const context: OciContext = {
        core,
        registry,
        request,
        reply,
        ctx,
        params,
        query: new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1)),
        get access(): Access {
          if (!access) throw Errors.unauthenticated();
          return access;
        },
        get signal(): AbortSignal {
          return (signal ??= clientGoneSignal(request, reply));
        },
        mayPull: (name) => (access ? guard.mayPull(access, name) : false),
        realm,
        service,
      };
      return await route.handler(context);
    } catch (error) {
      return sendOciError(error, request, reply, challenge);
    }
  };

  app.route({ method: METHODS, url: '/v2', handler: handle, exposeHeadRoute: false });
  app.route({ method: METHODS, url: '/v2/*', handler: handle, exposeHeadRoute: false });
}
