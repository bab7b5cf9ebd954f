import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sendApiError } from '../api/errors.js';
import { apiPlugin } from '../api/plugin.js';
import type { Core } from '../core/core.js';
import { createPackageCatalog } from '../core/packages/catalog/create-catalog.js';
import { mcpPlugin } from '../mcp/http-plugin.js';
import { definedCatalogProviders } from '../protocols/kit/definition.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { webUiPlugin } from '../web-ui/plugin.js';
import type { AccessLog } from './logger.js';
import { requestLogger } from './request-logger.js';
import { rejectNulBytes } from '../http/reject-nul.js';
import { answerStorageFailure } from '../http/storage-failure.js';
import type { HttpTimeouts } from './config.js';
import { registerOperations } from './operations.js';

export interface AppOptions {
  core: Core;
  logger: Logger;
  /** One line per answered request (server/logger.ts). */
  /** The access log, when the level keeps it on. */
  access: AccessLog | undefined;
  publicUrl: URL;
  trustProxy: boolean;
  version: string;
  npm: { maxBodyBytes: number };
  http: HttpTimeouts;
}

/** Builds the HTTP application: one host, one port, every protocol of the protocol registry mounted through the kit. */
export async function buildApp({ core, logger, access, publicUrl, trustProxy, version, npm, http }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One access-log line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when a request first logs, not for every request (server/request-logger.ts).
    childLoggerFactory: requestLogger,
    trustProxy,
    bodyLimit: 1024 * 1024,
    // npm package names run to 214 characters (scope included) and PyPI filenames can be long: Fastify's
    // default of 100 would answer them 414. Names are validated by core against each protocol's own limit.
    maxParamLength: 1024,
    return503OnClosing: true,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.socketTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    // Node enforces the headers and request timeouts on this interval: once a second keeps them close to exact.
    http: { headersTimeout: Math.min(http.headersTimeoutMs, http.requestTimeoutMs), connectionsCheckingInterval: 1000 },
  });
  await app.register(cookie);
  // Routes outside the protocol plugins (MCP, health, the dashboard) answer core errors in the API's format.
  app.setErrorHandler((error: Error, request, reply) => sendApiError(answerStorageFailure(core, error, request), request, reply));
  if (access) {
    app.addHook('onResponse', (request, reply, done) => {
      access({ reqId: request.id, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip });
      done();
    });
  }
  rejectNulBytes(app);
  registerOperations(app, core);
  await app.register(apiPlugin, { core, catalog: createPackageCatalog(core, core.oci, await definedCatalogProviders(core, PROTOCOLS)), secureCookies: publicUrl.protocol === 'https:', version });
  for (const protocol of PROTOCOLS) await protocol.mount(app, { core, publicUrl, settings: { npmMaxBodyBytes: npm.maxBodyBytes } });
  await app.register(mcpPlugin, { core, version });
  await app.register(webUiPlugin);
  return app;
}
