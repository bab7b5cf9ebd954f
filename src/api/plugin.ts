import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerStorageFailure } from '../http/storage-failure.js';
import type { Principal } from '../core/auth/principal.js';
import type { Core } from '../core/core.js';
import type { PackageCatalog } from '../core/packages/catalog/catalog-service.js';
import { Errors } from '../core/errors.js';
import { bodyLimitFor } from '../http/body-limits.js';
import { credentialOf, requestContext } from '../http/credentials.js';
import { holdBodyMemory } from '../http/hold-body-memory.js';
import { sendApiError } from './errors.js';
import { auditRoutes } from './handlers/audit.js';
import { authRoutes } from './handlers/auth.js';
import { endpointRoutes } from './handlers/endpoints.js';
import { environmentRoutes } from './handlers/environments.js';
import { credentialHelperRoutes } from './handlers/credential-helper.js';
import { npmLoginRoutes } from './handlers/npm-logins.js';
import { oidcRoutes } from './handlers/oidc.js';
import { packageRoutes } from './handlers/packages.js';
import { pypiRoutes } from './handlers/pypi.js';
import { releaseRoutes } from './handlers/releases.js';
import { shareLinkRoutes } from './handlers/share-links.js';
import { tokenRoutes } from './handlers/tokens.js';
import { userRoutes } from './handlers/users.js';
import { leakReportRoutes, webhookRoutes } from './handlers/webhooks.js';
import { secretScanningPlugin } from './secret-scanning.js';
import { openApiDocument } from './openapi.js';
import type { ApiRoute } from './route.js';

export const API_ROUTES: ApiRoute[] = [
  ...authRoutes,
  ...leakReportRoutes,
  ...tokenRoutes,
  ...userRoutes,
  ...auditRoutes,
  ...environmentRoutes,
  ...releaseRoutes,
  ...pypiRoutes,
  ...packageRoutes,
  ...shareLinkRoutes,
  ...npmLoginRoutes,
  ...oidcRoutes,
  ...credentialHelperRoutes,
  ...endpointRoutes,
  ...webhookRoutes,
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Authenticates through the one auth core; cookie-authenticated writes must also carry the CSRF header. */
async function principalFor(core: Core, request: FastifyRequest): Promise<Principal> {
  const credential = credentialOf(request);
  if (!credential) throw Errors.unauthenticated('Log in, or send a session token or registry token as Authorization: Bearer');
  const principal = await core.authenticator.authenticate(credential, requestContext(request));
  if (credential.kind === 'session-cookie' && !SAFE_METHODS.has(request.method) && !credential.csrfChecked) throw Errors.csrfRequired();
  return principal;
}

export interface ApiPluginOptions {
  core: Core;
  catalog: PackageCatalog;
  secureCookies: boolean;
  version: string;
}

/** The management API (/api/v1): JSON in, JSON out, errors as {"error":{code,message}}. */
export async function apiPlugin(app: FastifyInstance, { core, catalog, secureCookies, version }: ApiPluginOptions): Promise<void> {
  app.setErrorHandler((error: Error, request, reply) => sendApiError(answerStorageFailure(core, error, request), request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendApiError(Errors.notFound('API endpoint', `${request.method} ${request.url.split('?')[0]}`), request, reply),
  );
  await app.register(secretScanningPlugin, { core });
  const document = openApiDocument(API_ROUTES, version);
  app.get('/api/v1/openapi.json', async () => document);

  const principals = new WeakMap<FastifyRequest, Principal>();
  for (const route of API_ROUTES) {
    const bodyLimit = bodyLimitFor({ public: route.auth === 'public' });
    app.route({
      method: route.method,
      url: route.path,
      bodyLimit,
      // Before the body is read: a caller who has not proven anything sends a public route's small body and
      // no more, and a JSON body (read whole) holds its size in the body memory.
      ...(route.auth === 'principal'
        ? {
            onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
              principals.set(request, await principalFor(core, request));
              holdBodyMemory(core.bodyMemory, request, reply, bodyLimit);
            },
          }
        : {}),
      handler: async (request, reply) => {
        const principal = principals.get(request) ?? null;
        const result = await route.handler({
          core,
          catalog,
          request,
          reply,
          // Public routes have no principal; reading it there is a programming error caught as 401.
          get principal(): Principal {
            if (!principal) throw Errors.unauthenticated();
            return principal;
          },
          ctx: requestContext(request),
          params: request.params as Record<string, string>,
          secureCookies,
        });
        return reply.status(route.status ?? 200).send(result);
      },
    });
  }
}
