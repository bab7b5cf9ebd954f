import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAllowed } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { OciRegistry } from '../../core/oci/registry.js';
import { Errors, isAppError } from '../../core/errors.js';
import { OCI_PROTOCOL, challengeScope } from '../../core/oci/scopes.js';
import { mountedAs, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import type { RouteMatch } from '../kit/path-matcher.js';
import { callerOf, type RouteCall } from '../kit/route.js';
import { clientGoneSignal } from '../../http/client-gone.js';
import { ociProtocol } from './definition.js';
import { bearerChallenge, sendOciError } from './errors.js';
import type { OciContext, OciServices } from './route.js';
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
  const challengeFor = (at: RouteMatch<OciContext, OciServices> | undefined): string => {
    if (!at) return baseChallenge;
    const { route, params } = at;
    if (route.action === 'public') return basicChallenge;
    if (route.path === '/_catalog') return bearerChallenge({ realm, service, scope: 'registry:catalog:*' });
    if (params.name !== undefined && (route.action === 'pull' || route.action === 'push' || route.action === 'delete')) {
      return bearerChallenge({ realm, service, scope: challengeScope(params.name, route.action) });
    }
    return baseChallenge;
  };

  const context = (call: RouteCall): OciContext => new OciCall(core, registry, realm, service, call);

  await mountProtocol<OciContext, OciServices>(app, core, {
    ...mountedAs(ociProtocol),
    loginHint: 'Authentication required: log in with a token username and a token (docker login, skopeo --creds)',
    router: 'paths',
    routes: OCI_ROUTES,
    streamBodies: true,
    headers: { 'docker-distribution-api-version': 'registry/2.0' },
    context,
    services: { core, registry },
    sendError: (error: unknown, request: FastifyRequest, reply: FastifyReply, at?: RouteMatch<OciContext, OciServices>) =>
      sendOciError(error, request, reply, isAppError(error) ? challengeFor(at) : baseChallenge),
    notFound: (request, reply) =>
      sendOciError(Errors.notFound('Registry endpoint', `${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`), request, reply, baseChallenge),
  });
}

/**
 * One request's OciContext. A class, not an object literal with getters, because it is built on every
 * request: the query, the caller's principal and the client-gone signal are made only by the handlers
 * that read them (uploads, lists and the token service read the query; manifest and blob GETs do not).
 */
class OciCall implements OciContext {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly ctx: RouteCall['ctx'];
  readonly params: Record<string, string>;
  readonly bodyLimit: number | undefined;
  readonly #principal: Principal | null;
  #query: URLSearchParams | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    readonly core: Core,
    readonly registry: OciRegistry,
    readonly realm: string,
    readonly service: string,
    call: RouteCall,
  ) {
    this.request = call.request;
    this.reply = call.reply;
    this.ctx = call.ctx;
    this.params = call.params;
    this.bodyLimit = call.bodyLimit;
    this.#principal = call.principal;
  }

  get query(): URLSearchParams {
    if (!this.#query) {
      const q = this.request.url.indexOf('?');
      this.#query = new URLSearchParams(q < 0 ? '' : this.request.url.slice(q + 1));
    }
    return this.#query;
  }

  get principal(): Principal {
    return callerOf(this.#principal);
  }

  get signal(): AbortSignal {
    return (this.#signal ??= clientGoneSignal(this.request, this.reply));
  }

  /** A property, not a method: handlers pass it on as a callback (a cross-repository mount's check). */
  readonly mayPull = (name: string): boolean =>
    this.#principal ? isAllowed(this.#principal, 'pull', { kind: 'artifact', protocol: OCI_PROTOCOL, name }) : false;
}
