import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { apiPlugin } from '../api/plugin.js';
import type { Core } from '../core/core.js';
import { createPackageCatalog } from '../core/packages/catalog/create-catalog.js';
import { mcpPlugin } from '../mcp/http-plugin.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { webUiPlugin } from '../web-ui/plugin.js';
import type { AccessLog } from './logger.js';
import { registerOperations } from './operations.js';

export interface AppOptions {
  core: Core;
  logger: Logger;
  /** One line per answered request (server/logger.ts). */
  access: AccessLog;
  publicUrl: URL;
  trustProxy: boolean;
  version: string;
  npm: { maxBodyBytes: number };
}

/** Builds the HTTP application: one host, one port, every protocol of the protocol registry mounted through the kit. */
export async function buildApp({ core, logger, access, publicUrl, trustProxy, version, npm }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One access-log line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  await app.register(cookie);
  app.addHook('onResponse', (request, reply, done) => {
    access({ reqId: request.id, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip });
    done();
  });
  registerOperations(app, core);
  await app.register(apiPlugin, { core, catalog: createPackageCatalog(core, core.oci), secureCookies: publicUrl.protocol === 'https:', version });
  for (const protocol of PROTOCOLS) await protocol.mount(app, { core, publicUrl, settings: { npmMaxBodyBytes: npm.maxBodyBytes } });
  await app.register(mcpPlugin, { core, version });
  await app.register(webUiPlugin);
  return app;
}
