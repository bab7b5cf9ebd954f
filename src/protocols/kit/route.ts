import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import { Errors } from '../../core/errors.js';
import type { Action } from '../../core/model.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

/**
 * What the kit's one guard checks before a route's handler runs (and before its body is read): an action
 * on the route's resource, authorized by core's authorize(); any valid credential ('authenticated': the
 * handler's core service decides the rest); or nothing ('public').
 */
export type RouteAccess = Action | 'authenticated' | 'public';

/**
 * One row of a protocol's route table (its routes.ts). `path` is relative to each of the protocol's
 * prefixes; with the kit's path router, `<name>` takes a name that may hold `/` and `<param>` one segment,
 * otherwise Fastify's syntax applies (`:param`).
 */
export interface ProtocolRoute<C, S = undefined> {
  method: HttpMethod;
  path: string;
  action: RouteAccess;
  /**
   * The artifact the action is on (authorized as `{protocol, name}`); default `*`, the whole protocol. It
   * may throw to refuse a malformed name before anything else happens.
   */
  resource?(params: Record<string, string>): string;
  /**
   * Largest request body in bytes, refused with 413 from its Content-Length before any of it is read
   * (after authentication); default the protocol's `bodyLimit`. Handlers that stream a body bound the
   * bytes they actually read with the same figure (`c.bodyLimit`).
   */
  bodyLimit?: number;
  /**
   * The handler reads the body whole into memory before it can act (JSON to parse, not bytes to stream): the
   * kit holds its size in the process's body memory while the request runs (http/hold-body-memory.ts).
   */
  bodyInMemory?: boolean;
  /** Only under these of the protocol's prefixes (default: all of them). */
  prefixes?: readonly string[];
  handler(c: C): Promise<unknown>;
  /**
   * GET and HEAD routes whose answer this process may already hold in memory (a cached manifest, packument
   * or index): the answer, synchronously, or undefined when it is not in memory. The kit's memory lane
   * (kit/memory-lane.ts) calls it after the same guard as every route, before Fastify sees the request, with
   * the call and the mount's `services` (the protocol's core services);
   * undefined (or a throw) hands the request to the route's `handler`, which must answer the same.
   */
  fromMemory?(c: MemoryCall, services: S): Answer | undefined;
}

/** What a route's `fromMemory` gets: the guarded call, without Fastify's request and reply. */
export interface MemoryCall {
  method: 'GET' | 'HEAD';
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** The raw query string, without `?` ('' when there is none). */
  query: string;
  ctx: RequestContext;
  /** The authenticated caller (memory answers are for protected routes only). */
  principal: Principal;
  prefix: string;
}

/**
 * A whole answer: status, headers (content-type included) and the body, whose length is the Content-Length
 * unless the headers give one (a HEAD answer's); no body for a 304 or a HEAD, and a HEAD's is never sent.
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/**
 * A private document checked on every use (`private, no-cache`) and revalidated by its entity tag: 304 with
 * the validators when the client holds this version, else 200 with the body (an index file, a version list).
 */
export function revalidatedAnswer(etag: string, ifNoneMatch: string | undefined, contentType: string, body: Buffer | string): Answer {
  // Literals, not `{ ...headers, more }`: a spread followed by properties is V8's slow clone, on every request.
  if (ifNoneMatch === etag) return { status: 304, headers: { etag, 'cache-control': 'private, no-cache' } };
  return { status: 200, headers: { etag, 'cache-control': 'private, no-cache', 'content-type': contentType }, body };
}

/** Sends an Answer through Fastify (a handler's lane); the memory lane writes the same answer itself. */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}

/** The caller of a protected route; reading it on a public route is a programming error (answers 401). */
export function callerOf(principal: Principal | null): Principal {
  if (!principal) throw Errors.unauthenticated();
  return principal;
}

/** What the kit hands every protocol's context builder: the request, who is calling, and where. */
export interface RouteCall {
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  params: Record<string, string>;
  /** The prefix the request came in under (one of the protocol's prefixes). */
  prefix: string;
  /** The route's body limit in bytes (undefined: none beyond what its handler reads). */
  bodyLimit: number | undefined;
  /** The authenticated caller; null on public routes. */
  principal: Principal | null;
}

/** What every protocol's handlers get from the kit; a protocol's context adds its own parts (its core service…). */
export interface RouteContext {
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  params: Record<string, string>;
  /** The caller; reading it on a public route answers 401 (callerOf). */
  readonly principal: Principal;
}

/** A protocol's handler context from the kit's call and the protocol's own parts. */
export function routeContext<E extends object>(call: RouteCall, own: E): RouteContext & E {
  const context = { request: call.request, reply: call.reply, ctx: call.ctx, params: call.params, ...own };
  return Object.defineProperty(context, 'principal', { get: () => callerOf(call.principal), enumerable: true }) as RouteContext & E;
}
