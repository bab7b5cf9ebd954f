import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { PypiService } from '../../core/pypi/pypi-service.js';
import type { ProtocolRoute } from '../kit/route.js';

/** Where a PyPI mount lives: `/pypi` or `/artifactory/api/pypi/pypi`. */
export interface Mount {
  prefix: string;
  /** Absolute URL files are served under on this mount (for the JSON project API). */
  filesBase: string;
}

export interface PypiContext {
  service: PypiService;
  blobs: BlobStore;
  request: FastifyRequest;
  reply: FastifyReply;
  params: Record<string, string>;
  principal: Principal;
  mount: Mount;
}

/** One row of the PyPI route table (a kit route): paths are relative to each prefix. */
/** Its `fromMemory` answers get the service besides the call. */
export type PypiRoute = ProtocolRoute<PypiContext, PypiService>;
