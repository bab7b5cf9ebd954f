import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { apiPlugin } from '../api/plugin.js';
import type { Core } from '../core/core.js';
import type { OciRegistry } from '../core/oci/registry.js';
import { ociPlugin } from '../protocols/oci/plugin.js';
import { pypiPlugin } from '../protocols/pypi/plugin.js';
import { registerOperations } from './operations.js';

export interface AppOptions {
  core: Core;
  registry: OciRegistry;
  logger: Logger;
  publicUrl: URL;
  trustProxy: boolean;
  version: string;
}

/** Builds the HTTP application: one host, one port, every protocol mounted as its own plugin. */
export async function buildApp({ core, registry, logger, publicUrl, trustProxy, version }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One access-log line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  await app.register(cookie);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip },
      'request',
    );
  });
  registerOperations(app, core);
  await app.register(apiPlugin, { core, secureCookies: publicUrl.protocol === 'https:', version });
  await app.register(ociPlugin, { core, registry, publicUrl });
  await app.register(pypiPlugin, { core, publicUrl });
  return app;
}
