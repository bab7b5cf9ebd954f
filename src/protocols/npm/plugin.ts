import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorize } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { NPM_PATH } from '../../core/tokens/snippets.js';
import { bodyLimitFor } from '../../http/body-limits.js';
import { parseAuthorization, requestContext } from '../../http/credentials.js';
import { sendNpmError } from './errors.js';
import type { NpmRoute } from './route.js';
import { NPM_ROUTES } from './routes.js';

/** The documented path and the short alias: one registry (core.npm, one packument cache) answers under both. */
export const NPM_MOUNT_PATHS = [NPM_PATH, '/npm/'] as const;

export interface NpmPluginOptions {
  core: Core;
  /** Largest request body accepted (a publish carries its tarball as base64 inside JSON). */
  maxBodyBytes: number;
}

export async function npmPlugin(app: FastifyInstance, options: NpmPluginOptions): Promise<void> {
  for (const mountPath of NPM_MOUNT_PATHS) {
    await app.register(npmRoutes, { prefix: mountPath.replace(/\/$/, ''), core: options.core, mountPath, maxBodyBytes: options.maxBodyBytes });
  }
}

interface RoutesOptions {
  core: Core;
  mountPath: string;
  maxBodyBytes: number;
}

/** `{pkg}` → the unscoped-or-encoded form (`/:pkg`) and the scoped form with a real slash (`/@:scope/:pkgName`). */
function expandPath(path: string): string[] {
  return path.includes('{pkg}') ? [path.replace('{pkg}', ':pkg'), path.replace('{pkg}', '@:scope/:pkgName')] : [path];
}

function packageNameOf(params: Record<string, string>): string {
  if (params.scope !== undefined) return `@${params.scope}/${params.pkgName ?? ''}`;
  return params.pkg ?? '';
}

async function npmRoutes(app: FastifyInstance, { core, mountPath, maxBodyBytes }: RoutesOptions): Promise<void> {
  // Bodies reach handlers as text: core parses them, and keeps each published manifest's exact text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: Error, request, reply) => sendNpmError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendNpmError(Errors.notFound('npm endpoint', `${request.method} ${request.url.split('?')[0]}`), request, reply),
  );

  const principals = new WeakMap<FastifyRequest, Principal>();

  /**
   * The one guard: authenticates through core (the Authorization header only; npm never uses cookies, so
   * a browser session cannot be ridden cross-site) and authorizes the route's declared action. It runs
   * before the body is read, so an unauthorized upload is refused without receiving it.
   */
  const guard = (route: NpmRoute) => async (request: FastifyRequest) => {
    if (route.access === 'public') return;
    const header = request.headers.authorization;
    const credential = header ? parseAuthorization(header) : null;
    if (!credential) throw Errors.unauthenticated('Authentication required: put a Fly Registry token in .npmrc (//host/path/:_authToken=…) or run npm login');
    const principal = await core.authenticator.authenticate(credential, requestContext(request));
    if (route.access !== 'authenticated') {
      const name = packageNameOf(request.params as Record<string, string>) || '*';
      authorize(principal, route.access, { kind: 'artifact', protocol: 'npm', name });
    }
    principals.set(request, principal);
  };

  for (const route of NPM_ROUTES) {
    for (const url of expandPath(route.path)) {
      app.route({
        method: route.method,
        url,
        bodyLimit: route.bodyLimit === 'publish' ? maxBodyBytes : bodyLimitFor({ public: route.access === 'public' }),
        onRequest: guard(route),
        handler: async (request, reply) => {
          const params = request.params as Record<string, string>;
          return route.handler({
            core,
            registry: core.npm,
            request,
            reply,
            ctx: requestContext(request),
            params,
            name: packageNameOf(params),
            mountPath,
            body: typeof request.body === 'string' ? request.body : '',
            get principal(): Principal {
              const principal = principals.get(request);
              if (!principal) throw Errors.unauthenticated();
              return principal;
            },
          });
        },
      });
    }
  }
}
