import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import { mountedAs, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { callerOf, type RouteCall } from '../kit/route.js';
import { npmProtocol } from './definition.js';
import { sendNpmError } from './errors.js';
import { packageNameOf } from './package-params.js';
import type { NpmRegistry } from '../../core/npm/npm-registry.js';
import type { NpmContext } from './route.js';
import { NPM_ROUTES } from './routes.js';

/** `{pkg}` → the unscoped-or-encoded form (`/:pkg`) and the scoped form with a real slash (`/@:scope/:pkgName`). */
function expandPath(path: string): string[] {
  return path.includes('{pkg}') ? [path.replace('{pkg}', ':pkg'), path.replace('{pkg}', '@:scope/:pkgName')] : [path];
}

/**
 * The npm registry under both its prefixes, through the kit. One registry (core.npm, one packument cache)
 * answers under both; tarball URLs point back under the prefix the request came in on. Bodies reach
 * handlers as text: core parses them, and keeps each published manifest's exact text.
 */
export async function npmPlugin(app: FastifyInstance, { core, settings }: MountDeps): Promise<void> {
  const maxBodyBytes = settings.npmMaxBodyBytes;
  const context = ({ request, reply, ctx, params, prefix, principal }: RouteCall): NpmContext => ({
    core,
    registry: core.npm,
    request,
    reply,
    ctx,
    params,
    name: packageNameOf(params),
    mountPath: `${prefix}/`,
    body: typeof request.body === 'string' ? request.body : '',
    get principal(): Principal {
      return callerOf(principal);
    },
  });
  await mountProtocol<NpmContext, NpmRegistry>(app, core, {
    ...mountedAs(npmProtocol),
    loginHint: 'Authentication required: put a Fly Registry token in .npmrc (//host/path/:_authToken=…) or run npm login',
    prefixes: npmProtocol.prefixes,
    // npm prints this header's text as `npm notice …` (kit/expiry-notice.ts).
    noticeHeader: 'npm-notice',
    router: 'fastify',
    // A publish carries its tarball as base64 inside JSON: only writes (after the token is checked) take
    // FLY_NPM_MAX_BODY_MB, and hold its size in the body memory while they run (every body here is parsed
    // whole); every other route keeps the kit's small default.
    routes: NPM_ROUTES.map((route) => (route.action === 'push' ? { ...route, bodyLimit: maxBodyBytes, bodyInMemory: true } : route)),
    setup(scope) {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    },
    expandPath,
    context,
    services: core.npm,
    sendError: (error, request, reply) =>
      sendNpmError(error instanceof Error ? error : new Error(String(error)), request, reply),
  });
}
