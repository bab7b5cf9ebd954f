import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerStorageFailure } from '../../http/storage-failure.js';
import type { Readable } from 'node:stream';
import { authorize, type Action } from '../../core/auth/authorize.js';
import type { Credential, Principal } from '../../core/auth/principal.js';
import { MAX_CRATE_BYTES } from '../../core/cargo/crates.js';
import { normalizeCrateName } from '../../core/cargo/names.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { parseAuthorization, requestContext } from '../../http/credentials.js';
import { registryCredential } from '../kit/guard.js';
import { CARGO_MOUNTS } from './mounts.js';
import { cargoErrorHandler, sendCargoError } from './errors.js';
import { config, download, indexFile, publish, yank, type CargoContext } from './handlers.js';


interface CargoRoute {
  method: 'GET' | 'PUT' | 'DELETE';
  path: string;
  action: Action;
  /** The crate the route acts on (normalised), or every crate. */
  resource(params: Record<string, string>): string;
  handler(c: CargoContext): Promise<unknown>;
}

const named = (params: Record<string, string>) => normalizeCrateName(params.name ?? params['*']?.split('/').pop() ?? '');
const anyCrate = () => 'crates';

const CARGO_ROUTES: CargoRoute[] = [
  { method: 'GET', path: '/index/config.json', action: 'pull', resource: anyCrate, handler: config },
  { method: 'GET', path: '/index/*', action: 'pull', resource: named, handler: indexFile },
  { method: 'GET', path: '/api/v1/crates/:name/:version/download', action: 'pull', resource: named, handler: download },
  { method: 'PUT', path: '/api/v1/crates/new', action: 'push', resource: anyCrate, handler: publish },
  { method: 'DELETE', path: '/api/v1/crates/:name/:version/yank', action: 'push', resource: named, handler: yank(true) },
  { method: 'PUT', path: '/api/v1/crates/:name/:version/unyank', action: 'push', resource: named, handler: yank(false) },
];

/** Cargo sends the token as the whole Authorization header; a scheme (Bearer, Basic) is read as usual. */
function cargoCredential(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization?.trim();
  if (!header) return registryCredential(request);
  return header.includes(' ') ? parseAuthorization(header) : { kind: 'bearer', secret: header };
}

/** The one guard: authenticate through core, then authorize the route's action on the crate. */
async function guard(core: Core, route: CargoRoute, request: FastifyRequest): Promise<Principal> {
  const credential = cargoCredential(request);
  if (!credential) throw Errors.unauthenticated('Authentication required: this registry needs a token (cargo login, or a credential provider)');
  const principal = await core.authenticator.authenticate(credential, requestContext(request));
  authorize(principal, route.action, { kind: 'artifact', protocol: 'cargo', name: route.resource(request.params as Record<string, string>) });
  return principal;
}

async function cargoMount(app: FastifyInstance, { core, base }: { core: Core; base: string }): Promise<void> {
  // The publish body (length-prefixed JSON + .crate) is read as a stream by core.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload as Readable));
  app.setErrorHandler((error: Error, request, reply) => cargoErrorHandler(answerStorageFailure(core, error, request), request, reply));
  app.setNotFoundHandler((request, reply) => sendCargoError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`));
  for (const route of CARGO_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      bodyLimit: MAX_CRATE_BYTES + 2 * 1024 * 1024,
      handler: async (request, reply) => {
        const principal = await guard(core, route, request);
        const params = request.params as Record<string, string>;
        await route.handler({ crates: core.cargo, blobs: core.blobs, request, reply, principal, params, base });
        return reply;
      },
    });
  }
}

/** The Cargo sparse registry (index, publish, yank, downloads) at `/artifactory/api/cargo/cargo` and `/cargo`. */
export async function cargoPlugin(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  for (const prefix of Object.values(CARGO_MOUNTS)) await app.register(cargoMount, { prefix, core, base: `${core.endpoints.publicUrl}${prefix}` });
}
