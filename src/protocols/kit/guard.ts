import type { FastifyRequest } from 'fastify';
import { authorize } from '../../core/auth/authorize.js';
import type { Credential, Principal, RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { credentialOf, parseAuthorization } from '../../http/credentials.js';
import type { ProtocolRoute } from './route.js';

/**
 * The credential a registry endpoint accepts, for every protocol: Basic or Bearer from the Authorization
 * header, or a bare token as the whole header (Cargo sends its token so), read as Bearer. The dashboard's
 * session cookie counts only with its matching CSRF token (X-CSRF-Token): without it, any web page a
 * logged-in user visits could pull, publish or delete as them by cross-site request.
 */
export function registryCredential(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (header) return registryHeaderCredential(header);
  const credential = credentialOf(request);
  return credential?.kind === 'session-cookie' && !credential.csrfChecked ? null : credential;
}

/** What an Authorization header is worth to a registry endpoint (registryCredential's header rule). */
export function registryHeaderCredential(header: string): Credential | null {
  const trimmed = header.trim();
  return trimmed && !trimmed.includes(' ') ? { kind: 'bearer', secret: trimmed } : parseAuthorization(header);
}

/** Refuses (413) a body whose declared length is above the route's limit, before any of it is read. */
export function checkDeclaredLength(request: FastifyRequest, limit: number | undefined): void {
  if (limit === undefined) return;
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw Errors.payloadTooLarge(limit);
}

export interface GuardSpec {
  /** The protocol id its artifacts are authorized under. */
  protocol: string;
  /** What a protected route answers (401) when the request carries no credential: how to log in with this client. */
  loginHint: string;
}

/**
 * The one guard of every protocol: names the route's resource (which may refuse a malformed name), then
 * authenticates through core's Authenticator (unless the memory lane already did, for this request) and
 * authorizes the route's declared action (authorizeRoute), then checks the declared body length. Runs before
 * the body is read.
 */
export async function guardRoute(
  core: Core,
  spec: GuardSpec,
  route: ProtocolRoute<unknown, unknown>,
  params: Record<string, string>,
  request: FastifyRequest,
  ctx: RequestContext,
  bodyLimit: number | undefined,
  authenticated?: Principal,
): Promise<Principal | null> {
  if (route.action === 'public') {
    checkDeclaredLength(request, bodyLimit);
    return null;
  }
  const name = resourceOf(route, params);
  const credential = registryCredential(request);
  if (!credential) throw Errors.unauthenticated(spec.loginHint);
  // The memory lane may have authenticated this very request before handing it on: it is not counted twice.
  const principal = authenticated ?? (await core.authenticator.authenticate(credential, ctx));
  authorizeRoute(spec, route, name, principal);
  checkDeclaredLength(request, bodyLimit);
  return principal;
}

/** The artifact a route acts on: its `resource(params)` (which may refuse a malformed name), default `*`. */
export function resourceOf(route: ProtocolRoute<unknown, unknown>, params: Record<string, string>): string {
  return route.resource ? route.resource(params) : '*';
}

/** Authorizes a protected route's declared action on its resource (any valid credential passes `authenticated`). */
export function authorizeRoute(spec: GuardSpec, route: ProtocolRoute<unknown, unknown>, name: string, principal: Principal): void {
  if (route.action !== 'authenticated' && route.action !== 'public') authorize(principal, route.action, { kind: 'artifact', protocol: spec.protocol, name });
}
