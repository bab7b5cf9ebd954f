import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { GoModules } from '../../core/go/go-modules.js';
import type { ProtocolRoute } from '../kit/route.js';
import type { GoRequest } from './paths.js';

/** What Go's handlers get from the kit: the core service, the request, the caller, and what the path names. */
export interface GoContext {
  modules: GoModules;
  blobs: BlobStore;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  readonly principal: Principal;
  target: GoRequest;
}

export type GoRoute = ProtocolRoute<GoContext>;
