import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerStorageFailure } from '../../http/storage-failure.js';
import type { Readable } from 'node:stream';
import { authorize, type Action } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { requestContext } from '../../http/credentials.js';
import { registryCredential } from '../kit/guard.js';
import { HELM_MOUNTS } from './mounts.js';
import { helmErrorHandler, sendHelmError } from './errors.js';
import { download, indexYaml, post, put, remove, type HelmContext } from './handlers.js';


interface HelmRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  action: Action;
  resource(params: Record<string, string>): string;
  handler(c: HelmContext): Promise<unknown>;
}

const anyChart = () => 'charts';
const named = (params: Record<string, string>) => params.name ?? 'charts';

const HELM_ROUTES: HelmRoute[] = [
  { method: 'GET', path: '/index.yaml', action: 'pull', resource: anyChart, handler: indexYaml },
  { method: 'GET', path: '/charts/:filename', action: 'pull', resource: anyChart, handler: download },
  { method: 'PUT', path: '/charts/:filename', action: 'push', resource: anyChart, handler: put },
  { method: 'POST', path: '/api/charts', action: 'push', resource: anyChart, handler: post },
  { method: 'DELETE', path: '/api/charts/:name/:version', action: 'delete', resource: named, handler: remove },
];

/** The one guard: authenticate through core, then authorize the route's action. */
async function guard(core: Core, route: HelmRoute, request: FastifyRequest): Promise<Principal> {
  // Basic or Bearer; the dashboard's session cookie only with its CSRF token (the kit's one policy).
  const credential = registryCredential(request);
  if (!credential) throw Errors.unauthenticated('Authentication required: helm repo add --username <token username> --password <token>');
  const principal = await core.authenticator.authenticate(credential, requestContext(request));
  authorize(principal, route.action, { kind: 'artifact', protocol: 'helm', name: route.resource(request.params as Record<string, string>) });
  return principal;
}

async function helmMount(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  // Chart archives stream to the blob store; nothing is parsed here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload as Readable));
  app.setErrorHandler((error: Error, request, reply) => helmErrorHandler(answerStorageFailure(core, error, request), request, reply));
  app.setNotFoundHandler((request, reply) => sendHelmError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`));
  for (const route of HELM_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const principal = await guard(core, route, request);
        await route.handler({ charts: core.helm, blobs: core.blobs, request, reply, principal, params: request.params as Record<string, string> });
        return reply;
      },
    });
  }
}

/** The Helm chart repository (index.yaml, downloads, uploads, delete) at `/artifactory/api/helm/helm` and `/helm`. */
export async function helmPlugin(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  for (const prefix of Object.values(HELM_MOUNTS)) await app.register(helmMount, { prefix, core });
}
