import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Action } from '../../core/auth/authorize.js';
import type { Principal, RequestContext } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import type { NpmRegistry } from '../../core/npm/npm-registry.js';

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
 * One row of the npm route table. `{pkg}` in a path stands for a package name in any of the spellings
 * npm uses (`name`, `@scope%2fname`, `@scope/name`). `access` is what the one guard checks before the
 * handler runs: an action on the named package, any valid credential ('authenticated': core decides
 * the rest), or nothing ('public').
 */
export interface NpmRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  access: Action | 'authenticated' | 'public';
  /** Routes that receive an artifact (publish) take bodies up to FLY_NPM_MAX_BODY_MB; every other route a small one. */
  bodyLimit?: 'publish';
  handler(c: NpmContext): Promise<unknown>;
}
