import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { AnsweredRequest } from '../../http/answered-request.js';
import { contextOf } from '../../http/credentials.js';
import { noticeHeaderOf, type NoticeHeader } from './expiry-notice.js';
import { authorizeRoute, registryHeaderCredential, resourceOf, type GuardSpec } from './guard.js';
import { PathMatcher, type RouteMatch } from './path-matcher.js';
import type { Answer, ProtocolRoute } from './route.js';

export interface MemoryLaneOptions {
  core: Core;
  /** Behind a trusted proxy the client is the first X-Forwarded-For address (as Fastify's `trustProxy: true`). */
  trustProxy: boolean;
  /** The request ids Fastify also uses (its `genReqId`): one sequence for both lanes. */
  requestId(): string;
  /** Records an answered request (access log, metrics), as Fastify's onResponse hook does for its lane. */
  observe(answered: AnsweredRequest): void;
}

/** What a protocol registers: its memory routes under one prefix, and how its answers are dressed. */
export interface LaneProtocol extends GuardSpec {
  prefix: string;
  /** 'kit': the kit's path syntax, first match wins (as the kit's own router); 'fastify': `:param`, sole match only. */
  syntax: 'kit' | 'fastify';
  routes: readonly ProtocolRoute<unknown, unknown>[];
  /** What the protocol's `fromMemory` answers get besides the call (its core services). */
  services: unknown;
  /** The route pattern the metrics name a route by, as Fastify registered it. */
  routeLabel(route: ProtocolRoute<unknown, unknown>): string;
  noticeHeader?: NoticeHeader;
  /** Headers every answer of the protocol carries (what its Fastify hooks add). */
  headers?: Readonly<Record<string, string>>;
}

interface Registered extends LaneProtocol {
  matcher: PathMatcher<unknown, unknown>;
  start: string;
  /** `headers` as a flat [name, value, …] list. */
  headerList: string[];
  /** Each route's `routeLabel`, made once rather than per request (every route the matcher can return). */
  labels: ReadonlyMap<ProtocolRoute<unknown, unknown>, string>;
}

/**
 * The memory lane: GET and HEAD requests whose answer this process already holds in memory are answered
 * before Fastify sees them, through the same guard as every route (the one credential policy, core's
 * Authenticator and authorize()), the route's own `fromMemory` answer, the same expiry notice, request id,
 * access log line and metrics. Anything else — no Authorization header, a token or answer not in memory, any
 * refusal or error — goes to Fastify untouched, where the route's handler answers (and refuses) as always;
 * a request this lane authenticated carries its principal there, so its use is recorded once.
 */
export class MemoryLane {
  private readonly protocols: Registered[] = [];
  private readonly authenticated = new WeakMap<IncomingMessage, Principal>();
  private closing = false;

  constructor(private readonly options: MemoryLaneOptions) {}

  /** Adds a protocol whose table has memory answers (the kit's mount calls it for every protocol). */
  add(protocol: LaneProtocol): void {
    if (!protocol.routes.some(answersFromMemory)) return;
    // The matcher needs every route of the table, with or without a memory answer (the sole-match rule).
    const table = protocol.syntax === 'kit' ? protocol.routes : protocol.routes.filter((r) => !r.path.includes('('));
    const headerList = Object.entries(protocol.headers ?? {}).flat();
    const labels = new Map(table.map((route) => [route, protocol.routeLabel(route)] as const));
    this.protocols.push({ ...protocol, matcher: new PathMatcher(table, protocol.prefix, protocol.syntax), start: `${protocol.prefix}/`, headerList, labels });
  }

  /** The principal this lane authenticated for a request it then handed to Fastify. */
  principalOf(request: IncomingMessage): Principal | undefined {
    return this.authenticated.get(request);
  }

  /** From now on every request goes to Fastify (which answers 503 while closing). */
  close(): void {
    this.closing = true;
  }

  /** Answers the request from memory and returns true, or returns false having written nothing. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || this.closing || this.protocols.length === 0) return false;
    const header = request.headers.authorization;
    const url = request.url;
    // A NUL anywhere in the URL is refused by Fastify's lane (http/reject-nul.ts).
    if (!header || !url || url.includes('%00') || url.includes('\u0000')) return false;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    for (const protocol of this.protocols) {
      if (!path.startsWith(protocol.start)) continue;
      const found = protocol.syntax === 'kit' ? kitMatch(protocol.matcher, method, path) : fastifyMatch(protocol.matcher, method, path);
      return found ? this.answerRoute(protocol, found, q < 0 ? '' : url.slice(q + 1), header, request, response) : false;
    }
    return false;
  }

  private answerRoute(protocol: Registered, found: RouteMatch<unknown, unknown>, query: string, header: string, request: IncomingMessage, response: ServerResponse): boolean {
    const started = performance.now();
    const { route, params } = found;
    const { core } = this.options;
    let principal: Principal | undefined;
    try {
      const credential = registryHeaderCredential(header);
      if (!credential || !answersFromMemory(route)) return false;
      const name = resourceOf(route, params);
      const ip = this.clientAddress(request);
      const ctx = contextOf(ip, request.headers['user-agent']);
      principal = core.authenticator.fromMemory(credential, ctx);
      if (!principal) return false;
      authorizeRoute(protocol, route, name, principal);
      const answer = route.fromMemory({ method: request.method as 'GET' | 'HEAD', headers: request.headers, params, query, ctx, principal, prefix: protocol.prefix }, protocol.services);
      if (!answer) return this.handOn(request, principal);
      const notice = noticeHeaderOf(core, principal, protocol.noticeHeader);
      write(response, answer, protocol.headerList, notice, request.method === 'HEAD');
      this.options.observe({
        reqId: this.options.requestId(),
        method: request.method as string,
        url: request.url as string,
        route: protocol.labels.get(route) as string,
        status: answer.status,
        ms: performance.now() - started,
        ip: ip ?? '',
        memory: true,
      });
      return true;
    } catch {
      // Refusals and failures are answered by Fastify's lane, in the protocol's own format, and counted there.
      return principal ? this.handOn(request, principal) : false;
    }
  }

  /** Leaves an authenticated request to Fastify, whose guard takes the principal instead of authenticating again. */
  private handOn(request: IncomingMessage, principal: Principal): false {
    this.authenticated.set(request, principal);
    return false;
  }

  private clientAddress(request: IncomingMessage): string | undefined {
    if (this.options.trustProxy) {
      const forwarded = request.headers['x-forwarded-for'];
      const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
      if (first) return first;
    }
    return request.socket.remoteAddress;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's memory lane, when the server puts one in front of Fastify (server/app.ts); the kit's mount registers with it. */
    memoryLane?: MemoryLane;
  }
}

/** A protected GET or HEAD route with a memory answer: what the lane may answer. */
function answersFromMemory(route: ProtocolRoute<unknown, unknown>): route is ProtocolRoute<unknown, unknown> & Required<Pick<ProtocolRoute<unknown, unknown>, 'fromMemory'>> {
  return route.fromMemory !== undefined && route.action !== 'public' && (route.method === 'GET' || route.method === 'HEAD');
}

function kitMatch(matcher: PathMatcher<unknown, unknown>, method: string, path: string): RouteMatch<unknown, unknown> | undefined {
  const found = matcher.match(method, path);
  return 'route' in found ? found : undefined;
}

/** Fastify matches the path with `%2F` still encoded and then decodes each parameter: so does this lane. */
function fastifyMatch(matcher: PathMatcher<unknown, unknown>, method: string, path: string): RouteMatch<unknown, unknown> | undefined {
  // Fastify's router ends a path at `#` or `;`, and decodes escapes other than `%2F` before matching: such
  // rare paths are left to it (npm's `@scope%2fname` is the one escape clients send).
  if (path.includes('#') || path.includes(';') || (path.includes('%') && path.replace(/%2f/gi, '').includes('%'))) return undefined;
  const found = matcher.matchOnly(method, path);
  if (!found || !path.includes('%')) return found;
  const params: Record<string, string> = {};
  try {
    for (const [key, value] of Object.entries(found.params)) params[key] = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  return { route: found.route, params };
}

function write(response: ServerResponse, answer: Answer, common: readonly string[], notice: [string, string] | null, head: boolean): void {
  // A flat [name, value, …] list: Node writes it as it is, without walking a merged object's keys.
  const headers: (string | number)[] = [...common];
  let length = false;
  for (const name in answer.headers) {
    headers.push(name, answer.headers[name] as string);
    if (name === 'content-length') length = true;
  }
  if (notice) headers.push(notice[0], notice[1]);
  const { body } = answer;
  if (body !== undefined && !length) headers.push('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  response.writeHead(answer.status, headers as string[]);
  if (head || body === undefined) response.end();
  else response.end(body);
}
