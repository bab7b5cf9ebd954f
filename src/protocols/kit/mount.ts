import { PUBLIC_BODY_LIMIT } from '../../http/body-limits.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { requestContext } from '../../http/credentials.js';
import { addExpiryNotice, type NoticeHeader } from './expiry-notice.js';
import { leaveBodiesUnparsed } from './bodies.js';
import { holdBodyMemory } from '../../http/hold-body-memory.js';
import { answerStorageFailure } from '../../http/storage-failure.js';
import { guardRoute, type GuardSpec } from './guard.js';
import type { MemoryLane } from './memory-lane.js';
import { PathMatcher, type RouteMatch } from './path-matcher.js';
import type { HttpMethod, ProtocolRoute, RouteCall } from './route.js';

/**
 * How a protocol is mounted: the one way (mountProtocol below), for every protocol. See docs/architecture.md,
 * "The protocol kit".
 */
export interface ProtocolMount<C, S = undefined> extends GuardSpec {
  /** For messages: "npm", "PyPI"… */
  title: string;
  /** URL prefixes (no trailing slash); the routes answer under each. */
  prefixes: readonly string[];
  /**
   * Who matches paths: 'fastify' (one segment per parameter, `:param`), or 'paths', the kit's matcher over
   * one wildcard route per prefix, for names that hold `/` (`<name>`).
   */
  router: 'fastify' | 'paths';
  routes: readonly ProtocolRoute<C, S>[];
  /** Body limit (bytes) for routes that set none; undefined = none beyond what handlers read. */
  bodyLimit?: number;
  /** Leave request bodies unparsed: handlers stream them (`bodyOf(request)`, kit/bodies.ts). */
  streamBodies?: boolean;
  /** Registers the protocol's body parsers and hooks in each prefix's scope, before its routes. */
  setup?(app: FastifyInstance, prefix: string): Promise<void> | void;
  /** Fastify router only: the spellings of a route path (npm's `{pkg}` has two). */
  expandPath?(path: string): string[];
  /** The protocol's handler context, from what the kit established. */
  context(call: RouteCall): C;
  /** What its routes' `fromMemory` get besides the call: its core services (built once, at mount). */
  services?: S;
  /** Headers every answer of the protocol carries, errors included (OCI's API version). */
  headers?: Readonly<Record<string, string>>;
  /** The header its clients print a notice from (kit/expiry-notice.ts); default `warning` (HTTP's `Warning: 299`). */
  noticeHeader?: NoticeHeader;
  /** Sends any failure in the protocol's own wire format; `at` is the matched route, when there is one. */
  sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, at?: RouteMatch<C, S>): FastifyReply;
  /** The answer for a path no route matches (default: sendError with not_found). */
  notFound?(request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

const ALL_METHODS: HttpMethod[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/**
 * Mounts a protocol's route table under each of its prefixes. Every route goes through the same steps:
 * match, guard (resource name, authenticate, authorize the declared action, declared body length — all
 * before the body is read), build the protocol's context, run the handler; any failure is answered by the
 * protocol's sendError.
 */
export async function mountProtocol<C, S = undefined>(app: FastifyInstance, core: Core, spec: ProtocolMount<C, S>): Promise<void> {
  const lane = app.memoryLane;
  for (const prefix of spec.prefixes) {
    const routes = spec.routes.filter((r) => !r.prefixes || r.prefixes.includes(prefix));
    if (spec.router === 'paths') await app.register(async (scope) => mountPaths(scope, core, spec, prefix, routes, lane));
    else await app.register(async (scope) => mountFastify(scope, core, spec, prefix, routes, lane), { prefix });
  }
}

/** The same routes in the memory lane (kit/memory-lane.ts), under the same guard, notice and headers. */
function addToLane<C, S>(lane: MemoryLane | undefined, spec: ProtocolMount<C, S>, prefix: string, routes: readonly ProtocolRoute<C, S>[], routeLabel: (route: ProtocolRoute<unknown, unknown>) => string): void {
  lane?.add({
    protocol: spec.protocol,
    loginHint: spec.loginHint,
    prefix,
    syntax: spec.router === 'paths' ? 'kit' : 'fastify',
    routes: routes as readonly ProtocolRoute<unknown, unknown>[],
    services: spec.services,
    routeLabel,
    ...(spec.noticeHeader ? { noticeHeader: spec.noticeHeader } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
  });
}

function notFound<C, S>(spec: ProtocolMount<C, S>, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (spec.notFound) return spec.notFound(request, reply);
  return spec.sendError(Errors.notFound(`${spec.title} endpoint`, `${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`), request, reply);
}

async function setupScope<C, S>(app: FastifyInstance, spec: ProtocolMount<C, S>, prefix: string): Promise<void> {
  const headers = spec.headers;
  if (headers) {
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  }
  if (spec.streamBodies) leaveBodiesUnparsed(app);
  await spec.setup?.(app, prefix);
}

async function mountFastify<C, S>(app: FastifyInstance, core: Core, spec: ProtocolMount<C, S>, prefix: string, routes: readonly ProtocolRoute<C, S>[], lane: MemoryLane | undefined): Promise<void> {
  await setupScope(app, spec, prefix);
  const expanded = routes.flatMap((route) => (spec.expandPath ? spec.expandPath(route.path) : [route.path]).map((path) => ({ ...route, path })));
  addToLane(lane, spec, prefix, expanded, (route) => `${prefix}${route.path}`);
  app.setErrorHandler((error, request, reply) => spec.sendError(answerStorageFailure(core, error, request), request, reply));
  app.setNotFoundHandler((request, reply) => notFound(spec, request, reply));
  const principals = new WeakMap<FastifyRequest, Principal>();
  for (const route of routes) {
    const bodyLimit = routeBodyLimit(route, spec);
    for (const url of spec.expandPath ? spec.expandPath(route.path) : [route.path]) {
      app.route({
        method: route.method,
        url,
        ...(bodyLimit !== undefined ? { bodyLimit } : {}),
        onRequest: async (request, reply) => {
          const params = request.params as Record<string, string>;
          const principal = await guardRoute(core, spec, route, params, request, requestContext(request), bodyLimit, lane?.principalOf(request.raw));
          if (route.bodyInMemory) holdBodyMemory(core.bodyMemory, request, reply, bodyLimit);
          if (principal) principals.set(request, principal);
          addExpiryNotice(core, principal, reply, spec.noticeHeader);
        },
        handler: async (request, reply) =>
          route.handler(
            spec.context({
              request,
              reply,
              ctx: requestContext(request),
              params: request.params as Record<string, string>,
              prefix,
              bodyLimit,
              principal: principals.get(request) ?? null,
            }),
          ),
      });
    }
  }
}

async function mountPaths<C, S>(app: FastifyInstance, core: Core, spec: ProtocolMount<C, S>, prefix: string, routes: readonly ProtocolRoute<C, S>[], lane: MemoryLane | undefined): Promise<void> {
  await setupScope(app, spec, prefix);
  const matcher = new PathMatcher(routes, prefix);
  addToLane(lane, spec, prefix, routes, () => `${prefix}/*`);
  app.setErrorHandler((error, request, reply) => spec.sendError(answerStorageFailure(core, error, request), request, reply));
  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const q = request.url.indexOf('?');
    const rawPath = q < 0 ? request.url : request.url.slice(0, q);
    const found = matcher.match(request.method, rawPath === prefix ? `${prefix}/` : rawPath);
    if (!('route' in found)) {
      if (found.allowed.length > 0) return spec.sendError(Errors.methodNotAllowed(request.method, found.allowed), request, reply);
      return notFound(spec, request, reply);
    }
    try {
      const { route, params } = found;
      const bodyLimit = routeBodyLimit(route, spec);
      const ctx = requestContext(request);
      const principal = await guardRoute(core, spec, route, params, request, ctx, bodyLimit, lane?.principalOf(request.raw));
      if (route.bodyInMemory) holdBodyMemory(core.bodyMemory, request, reply, bodyLimit);
      addExpiryNotice(core, principal, reply, spec.noticeHeader);
      return await route.handler(spec.context({ request, reply, ctx, params, prefix, bodyLimit, principal }));
    } catch (error) {
      return spec.sendError(answerStorageFailure(core, error, request), request, reply, found);
    }
  };
  app.route({ method: ALL_METHODS, url: prefix, handler: handle, exposeHeadRoute: false });
  app.route({ method: ALL_METHODS, url: `${prefix}/*`, handler: handle, exposeHeadRoute: false });
}

/**
 * A route's body limit, decided before the body is read: its own, else its protocol's, else small for an
 * unauthenticated route (a caller who has proven nothing sends a small form and no more). Undefined leaves
 * an authenticated route to its own reader's bounds (a streamed blob, a multipart upload's file limit).
 */
function routeBodyLimit<C, S>(route: ProtocolRoute<C, S>, spec: ProtocolMount<C, S>): number | undefined {
  return route.bodyLimit ?? spec.bodyLimit ?? (route.action === 'public' ? PUBLIC_BODY_LIMIT : undefined);
}
