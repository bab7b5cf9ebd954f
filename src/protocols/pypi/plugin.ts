import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorize } from '../../core/auth/authorize.js';
import type { Principal } from '../../core/auth/principal.js';
import type { BlobStore } from '../../core/blob-store.js';
import type { Core } from '../../core/core.js';
import { Errors } from '../../core/errors.js';
import { PYPI_LIMITS } from '../../core/pypi/limits.js';
import type { PypiService } from '../../core/pypi/pypi-service.js';
import { credentialOf, requestContext } from '../../http/credentials.js';
import { pypiErrorHandler, sendPypiError } from './errors.js';
import type { Mount, PypiRoute } from './route.js';
import { PYPI_ROUTES } from './routes.js';

/** The documented mount and its short alias. */
export const PYPI_MOUNTS = { artifactory: '/artifactory/api/pypi/pypi', short: '/pypi' } as const;

export interface PypiPluginOptions {
  core: Core;
  publicUrl: URL;
}

interface MountOptions {
  core: Core;
  blobs: BlobStore;
  service: PypiService;
  mount: Mount;
  short: boolean;
}

/** The one guard: authenticate through core, then authorize the route's action on its resource. */
async function guard(core: Core, route: PypiRoute, request: FastifyRequest): Promise<Principal> {
  const credential = credentialOf(request);
  if (!credential) throw Errors.unauthenticated('Authentication required: use your token username (or __token__) and the token as password');
  const principal = await core.authenticator.authenticate(credential, requestContext(request));
  authorize(principal, route.action, { kind: 'artifact', protocol: 'pypi', name: route.resource(request.params as Record<string, string>) });
  return principal;
}

async function pypiMount(app: FastifyInstance, { core, blobs, service, mount, short }: MountOptions): Promise<void> {
  // Uploads are multipart forms, read lazily after the guard; no other body is ever parsed here (a JSON or
  // text body to the upload URL is refused by its content type before a byte of it is read).
  app.removeAllContentTypeParsers();
  await app.register(multipart, {
    // Keep the client's filename as sent, so "../x.whl" is refused rather than silently cut to "x.whl".
    preservePath: true,
    throwFileSizeLimit: true,
    limits: {
      fileSize: PYPI_LIMITS.maxFileBytes,
      files: 4,
      fields: PYPI_LIMITS.maxFormFields,
      fieldSize: PYPI_LIMITS.maxFormFieldBytes,
      parts: PYPI_LIMITS.maxFormFields + 4,
    },
  });
  app.setErrorHandler(pypiErrorHandler);
  app.setNotFoundHandler((request, reply) => sendPypiError(reply, 404, `Not Found: ${request.method} ${request.url.split('?')[0]}`));
  for (const route of PYPI_ROUTES) {
    if (route.shortMountOnly && !short) continue;
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const principal = await guard(core, route, request);
        return route.handler({ service, blobs, request, reply, principal, mount, params: request.params as Record<string, string> });
      },
    });
  }
}

/**
 * The Python package index (Simple API, uploads, files, JSON API), mounted at `/artifactory/api/pypi/pypi`
 * and `/pypi`. Both mounts share one service, so a page rendered for one is cached for the other.
 */
export async function pypiPlugin(app: FastifyInstance, { core, publicUrl }: PypiPluginOptions): Promise<void> {
  const { blobs, pypi: service } = core;
  const base = publicUrl.href.replace(/\/$/, '');
  for (const [name, prefix] of Object.entries(PYPI_MOUNTS)) {
    const mount: Mount = { prefix, filesBase: `${base}${prefix}/packages` };
    await app.register(pypiMount, { prefix, core, blobs, service, mount, short: name === 'short' });
  }
}
