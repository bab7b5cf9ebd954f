import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAllowed } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import { Errors, isAppError } from '../../core/errors.js';
import { OCI_PROTOCOL, challengeScope } from '../../core/oci/scopes.js';
import { mountedAs, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import type { RouteMatch } from '../kit/path-matcher.js';
import { callerOf, type RouteCall } from '../kit/route.js';
import { clientGoneSignal } from '../../http/client-gone.js';
import { ociProtocol } from './definition.js';
import { bearerChallenge, sendOciError } from './errors.js';
import type { OciContext } from './route.js';
import { OCI_ROUTES } from './routes.js';

/**
 * The OCI Distribution API at /v2/, through the kit. Repository names contain `/`, so the kit's path
 * matcher routes it. Bodies are not parsed: blobs stream from the request into the blob store, manifests
 * and token forms are read with their routes' body limits.
 */
export async function ociPlugin(app: FastifyInstance, { core, publicUrl }: MountDeps): Promise<void> {
  const registry = core.oci;
  const realm = new URL('/v2/token', publicUrl).href;
  const service = publicUrl.host;
  const baseChallenge = bearerChallenge({ realm, service });
  const basicChallenge = `Basic realm="${service}"`;

  /** What a 401 announces: where to get a bearer token, and for which scope this request needed. */
  const challengeFor = (at: RouteMatch<OciContext> | undefined): string => {
    if (!at) return baseChallenge;
    const { route, params } = at;
    if (route.action === 'public') return basicChallenge;
    if (route.path === '/_catalog') return bearerChallenge({ realm, service, scope: 'registry:catalog:*' });
    if (params.name !== undefined && (route.action === 'pull' || route.action === 'push' || route.action === 'delete')) {
      return bearerChallenge({ realm, service, scope: challengeScope(params.name, route.action) });
    }
    return baseChallenge;
  };

  const context = ({ request, reply, ctx, params, principal, bodyLimit }: RouteCall): OciContext => {
    let signal: AbortSignal | undefined;
    let query: URLSearchParams | undefined;
    return {
      core,
      registry,
      request,
      reply,
      ctx,
      params,
      bodyLimit,
      realm,
      service,
      // Parsed only by the handlers that read it (uploads, lists, token): not on every manifest or blob GET.
      get query(): URLSearchParams {
        if (!query) {
          const q = request.url.indexOf('?');
          query = new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1));
        }
        return query;
      },
      get principal(): Principal {
        return callerOf(principal);
      },
      get signal(): AbortSignal {
        return (signal ??= clientGoneSignal(request, reply));
      },
      mayPull: (name) => (principal ? isAllowed(principal, 'pull', { kind: 'artifact', protocol: OCI_PROTOCOL, name }) : false),
    };
  };

  await mountProtocol<OciContext>(app, core, {
    ...mountedAs(ociProtocol),
    loginHint: 'Authentication required: log in with a token username and a token (docker login, skopeo --creds)',
    router: 'paths',
    routes: OCI_ROUTES,
    streamBodies: true,
    setup(scope) {
      scope.addHook('onRequest', async (_request, reply) => {
        void reply.header('docker-distribution-api-version', 'registry/2.0');
      });
    },
    context,
    sendError: (error: unknown, request: FastifyRequest, reply: FastifyReply, at?: RouteMatch<OciContext>) =>
      sendOciError(error, request, reply, isAppError(error) ? challengeFor(at) : baseChallenge),
    notFound: (request, reply) =>
      sendOciError(Errors.notFound('Registry endpoint', `${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`), request, reply, baseChallenge),
  });
}
