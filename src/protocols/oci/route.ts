import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { OciRegistry } from '../../core/oci/registry.js';
import type { Grant, ScopeAction } from '../../core/oci/scopes.js';

/**
 * What a route needs before its handler runs. Repository routes name their action (pull, push, delete)
 * and the guard authorizes it; `login` needs any valid credential (GET /v2/), `catalog` a credential whose
 * bearer token grants the catalog scope; `token` routes (the token service) authenticate by themselves.
 */
export type RouteAction = ScopeAction | 'login' | 'catalog' | 'token';

/** Who is calling, and (for a registry bearer token) the scopes that token was granted. */
export interface Access {
  principal: Principal;
  /** null for Basic or a raw Fly token: no scope restriction beyond the principal's rights. */
  grant: Grant | null;
}

export interface OciContext {
  core: Core;
  registry: OciRegistry;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  /** Path parameters: name, reference, digest, id (as the route's path names them). */
  params: Record<string, string>;
  /** The query string, parsed; repeated keys keep every value. */
  query: URLSearchParams;
  /** Set on every route except `token`. */
  access: Access;
  /** Aborts when the client goes away mid-request (streamed bodies stop at once). */
  signal: AbortSignal;
  /** Whether the pull (or catalog) action is allowed on another repository (cross-repository mount). */
  mayPull(name: string): boolean;
  /** The token endpoint's URL and the service name, as the challenge announces them. */
  realm: string;
  service: string;
}

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

/** One row of the route table. `path` uses <name> (a repository name, may hold `/`) and <param> placeholders. */
export interface OciRoute {
  method: HttpMethod;
  path: string;
  action: RouteAction;
  handler(c: OciContext): Promise<unknown>;
}
