import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { NpmRegistry } from '../../core/npm/npm-registry.js';
import type { ProtocolRoute } from '../kit/route.js';

export interface NpmContext {
  core: Core;
  registry: NpmRegistry;
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: RequestContext;
  params: Record<string, string>;
  /** The package the path names (`{pkg}`), decoded: `@scope/name` or `name`; empty when there is none. */
  name: string;
  /** Where this registry is mounted, e.g. `/npm/`: tarball URLs point back under the same prefix. */
  mountPath: string;
  /** The raw request body (npm bodies are parsed by core, which also keeps exact manifest text). */
  body: string;
  /** The authenticated caller; reading it on a public route is a programming error (answers 401). */
  principal: Principal;
}

/**
 * One row of the npm route table (a kit route). `{pkg}` in a path stands for a package name in any of the
 * spellings npm uses (`name`, `@scope%2fname`, `@scope/name`); such routes act on that package.
 */
/** Its `fromMemory` answers get the registry besides the call. */
export type NpmRoute = ProtocolRoute<NpmContext, NpmRegistry>;
