import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/auth/principal.js';
import { PYPI_LIMITS } from '../../core/pypi/limits.js';
import { mountedAs, type MountDeps } from '../kit/definition.js';
import { mountProtocol } from '../kit/mount.js';
import { callerOf, type RouteCall } from '../kit/route.js';
import { pypiProtocol } from './definition.js';
import { pypiErrorHandler, sendPypiError } from './errors.js';
import type { PypiService } from '../../core/pypi/pypi-service.js';
import type { PypiContext } from './route.js';
import { PYPI_ROUTES } from './routes.js';

/**
 * The Python package index (Simple API, uploads, files, JSON API) under both its prefixes, through the
 * kit. Both share one service, so a page rendered for one is cached for the other.
 */
export async function pypiPlugin(app: FastifyInstance, { core, publicUrl }: MountDeps): Promise<void> {
  const base = publicUrl.href.replace(/\/$/, '');
  const context = ({ request, reply, params, prefix, principal }: RouteCall): PypiContext => ({
    service: core.pypi,
    blobs: core.blobs,
    request,
    reply,
    params,
    mount: { prefix, filesBase: `${base}${prefix}/packages` },
    get principal(): Principal {
      return callerOf(principal);
    },
  });
  await mountProtocol<PypiContext, PypiService>(app, core, {
    ...mountedAs(pypiProtocol),
    loginHint: 'Authentication required: use your token username (or __token__) and the token as password',
    router: 'fastify',
    routes: PYPI_ROUTES,
    async setup(scope) {
      // Uploads are multipart forms, read lazily after the guard; no other body is ever parsed here (a JSON or
      // text body to the upload URL is refused by its content type before a byte of it is read).
      scope.removeAllContentTypeParsers();
      await scope.register(multipart, {
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
    },
    context,
    services: core.pypi,
    sendError: (error, request, reply) => pypiErrorHandler(error instanceof Error ? error : new Error(String(error)), request, reply),
    notFound: (request, reply) => sendPypiError(reply, 404, `Not Found: ${request.method} ${request.url.split('?')[0]}`),
  });
}
