import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal, RequestContext } from '../core/auth/principal.js';
import type { Core } from '../core/core.js';
import type { PackageCatalog } from '../core/packages/catalog/catalog-service.js';

export interface HandlerContext {
  core: Core;
  /** The Packages section (built over core and the OCI registry). */
  catalog: PackageCatalog;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  params: Record<string, string>;
  /** Set on routes with `auth: 'principal'`. */
  principal: Principal;
  /** Whether cookies should carry the Secure flag (the public URL is https). */
  secureCookies: boolean;
}

/** One row of the management API's route table. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  /** public: no credential; principal: any valid session or registry token (services decide the rest). */
  auth: 'public' | 'principal';
  /** Success status; errors come from the error registry. */
  status?: number;
  body?: z.ZodType;
  query?: z.ZodType;
  handler(c: HandlerContext): Promise<unknown>;
}
