import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { Crates } from '../../core/cargo/crates.js';
import type { ProtocolRoute } from '../kit/route.js';

/** What Cargo's handlers get from the kit: the core service, the request, the caller and the mount's URL. */
export interface CargoContext {
  crates: Crates;
  blobs: BlobStore;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  readonly principal: Principal;
  params: Record<string, string>;
  /** This mount's absolute URL (config.json's `api`; downloads sit below it). */
  base: string;
}

export type CargoRoute = ProtocolRoute<CargoContext>;
