import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { Charts } from '../../core/helm/charts.js';
import type { ProtocolRoute } from '../kit/route.js';

/** What Helm's handlers get from the kit: the core service, the request and the caller. */
export interface HelmContext {
  charts: Charts;
  blobs: BlobStore;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  readonly principal: Principal;
  params: Record<string, string>;
}

export type HelmRoute = ProtocolRoute<HelmContext>;
