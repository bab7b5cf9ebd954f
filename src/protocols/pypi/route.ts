import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { PypiService } from '../../core/pypi/pypi-service.js';

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

/** One row of the PyPI route table: paths are relative to the mount, the guard authorizes `action`. */
export interface PypiRoute {
  method: 'GET' | 'POST';
  path: string;
  action: 'pull' | 'push';
  /** The artifact the route acts on: the project named in the path, or every package (uploads). */
  resource(params: Record<string, string>): string;
  /** Only on the short `/pypi` mount (PyPI's own `/pypi/<name>/json` shape). */
  shortMountOnly?: boolean;
  handler(c: PypiContext): Promise<FastifyReply>;
}
