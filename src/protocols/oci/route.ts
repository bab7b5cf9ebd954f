import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { OciRegistry } from '../../core/oci/registry.js';
import type { ProtocolRoute } from '../kit/route.js';

export interface OciContext {
  core: Core;
  registry: OciRegistry;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  /** Path parameters: name (validated), reference, digest, id (as the route's path names them). */
  params: Record<string, string>;
  /** The query string, parsed; repeated keys keep every value. */
  query: URLSearchParams;
  /** The caller, on every route except the token service's (which authenticates by itself). */
  principal: Principal;
  /** The route's body limit in bytes, for handlers that read a body (undefined: a streamed blob). */
  bodyLimit: number | undefined;
  /** Aborts when the client goes away mid-request (streamed bodies stop at once). */
  signal: AbortSignal;
  /** The token service's address and this registry's name, for a challenge a handler builds itself. */
  realm: string;
  service: string;
  /** Whether the caller may pull another repository (a cross-repository mount's source). */
  mayPull(name: string): boolean;
}

/**
 * One row of the OCI route table: paths are relative to `/v2`, `<name>` is a repository name (may hold `/`).
 * The kit's guard authorizes `action` on the repository (kit/route.ts); `GET /v2/` needs any valid
 * credential, the catalog the pull action on the catalog resource, the token service nothing.
 */
export type OciRoute = ProtocolRoute<OciContext, OciServices>;

/** What an OCI route's `fromMemory` gets besides the call. */
export interface OciServices {
  core: Core;
  registry: OciRegistry;
}
