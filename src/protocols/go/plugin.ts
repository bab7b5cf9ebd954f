import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerStorageFailure } from '../../http/storage-failure.js';
import type { Readable } from 'node:stream';
import { authorize, type Action } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { MAX_ZIP_BYTES } from '../../formats/go/module-files.js';
import { requestContext } from '../../http/credentials.js';
import { registryCredential } from '../kit/guard.js';
import { GO_MOUNTS } from './mounts.js';
import { goErrorHandler, sendGoError } from './errors.js';
import { read, remove, upload, type GoContext } from './handlers.js';
import { parseGoPath, type GoRequest } from './paths.js';


/** The GOPROXY route table: every path is `<module>/@…` below the mount, so one wildcard per method. */
const GO_ROUTES: { method: 'GET' | 'PUT' | 'DELETE'; action: Action; handler: (c: GoContext) => Promise<unknown> }[] = [
  { method: 'GET', action: 'pull', handler: read },
  { method: 'PUT', action: 'push', handler: upload },
  { method: 'DELETE', action: 'delete', handler: remove },
];

/** The one guard: authenticate through core, then authorize the route's action on the module. */
async function guard(core: Core, action: Action, target: GoRequest, request: FastifyRequest): Promise<Principal> {
  // Basic or Bearer; the dashboard's session cookie only with its CSRF token (the kit's one policy).
  const credential = registryCredential(request);
  if (!credential) throw Errors.unauthenticated('Authentication required: set GOAUTH/.netrc with your token username and the token as password');
  const principal = await core.authenticator.authenticate(credential, requestContext(request));
  authorize(principal, action, { kind: 'artifact', protocol: 'go', name: 'module' in target ? target.module : 'modules' });
  return principal;
}

async function goMount(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  // Uploads are module zips streamed to the blob store; nothing is parsed or buffered here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { bodyLimit: MAX_ZIP_BYTES }, (_request, payload, done) => done(null, payload as Readable));
  app.setErrorHandler((error: Error, request, reply) => goErrorHandler(answerStorageFailure(core, error, request), request, reply));
  app.setNotFoundHandler((request, reply) => sendGoError(reply, 404, `not found: ${request.method} ${request.url.split('?')[0]}`));
  for (const route of GO_ROUTES) {
    app.route({
      method: route.method,
      url: '/*',
      bodyLimit: MAX_ZIP_BYTES,
      handler: async (request, reply) => {
        const target = parseGoPath((request.params as { '*': string })['*']);
        const principal = await guard(core, route.action, target, request);
        await route.handler({ modules: core.go, blobs: core.blobs, request, reply, principal, target });
        return reply;
      },
    });
  }
}

/** The Go module proxy (GOPROXY protocol) and its upload endpoint, at `/artifactory/api/go/go` and `/go`. */
export async function goPlugin(app: FastifyInstance, { core }: { core: Core }): Promise<void> {
  for (const prefix of Object.values(GO_MOUNTS)) await app.register(goMount, { prefix, core });
}
