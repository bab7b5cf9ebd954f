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
import { lingerOnEarlyAnswers } from '../http/lingering-close.js';
import { cutStalledConnections } from '../http/stalled-connections.js';
import { answerStorageFailure } from '../http/storage-failure.js';
import type { HttpTimeouts } from './config.js';
import { registerOperations, requestCounter } from './operations.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AnsweredRequest } from '../http/answered-request.js';
import { MemoryLane } from '../protocols/kit/memory-lane.js';

export interface AppOptions {
  core: Core;
  logger: Logger;
  /** One line per answered request (server/logger.ts), when the level keeps it on. */
  access: AccessLog | undefined;
  publicUrl: URL;
  trustProxy: boolean;
  version: string;
  npm: { maxBodyBytes: number };
  http: HttpTimeouts;
}

/** Builds the HTTP application: one host, one port, every protocol of the protocol registry mounted through the kit. */
export async function buildApp({ core, logger, access, publicUrl, trustProxy, version, npm, http }: AppOptions): Promise<FastifyInstance> {
  // One request id sequence, one record of each answer (metrics, access log), whichever lane answers.
  let lastRequestId = 0;
  const requestId = () => `req-${(++lastRequestId).toString(36)}`;
  const countRequest = requestCounter();
  const observe = (answered: AnsweredRequest): void => {
    countRequest.count(answered.method, answered.route, answered.status);
    access?.(answered);
  };
  const lane = new MemoryLane({ core, trustProxy, requestId, observe });
  const app = Fastify({
    genReqId: requestId,
    // The memory lane answers what it can before Fastify parses anything (protocols/kit/memory-lane.ts).
    serverFactory: (handler) => laneServer(lane, handler, http),
    loggerInstance: logger as FastifyBaseLogger,
    // One access-log line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when a request first logs, not for every request (server/request-logger.ts).
    childLoggerFactory: requestLogger,
    trustProxy,
    bodyLimit: 1024 * 1024,
    // npm package names run to 214 characters (scope included) and PyPI filenames can be long: Fastify's
    // default of 100 would answer them 414. Names are validated by core against each protocol's own limit.
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: true,
  });
  app.decorate('memoryLane', lane);
  app.addHook('preClose', (done) => {
    lane.close();
    done();
  });
  await app.register(cookie);
  // Routes outside the protocol plugins (MCP, health, the dashboard) answer core errors in the API's format.
  app.setErrorHandler((error: Error, request, reply) => sendApiError(answerStorageFailure(core, error, request), request, reply));
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    observe({ reqId: request.id, method: request.method, url: request.url, route, status: reply.statusCode, ms: reply.elapsedTime, ip: request.ip });
    done();
  });
  rejectNulBytes(app);
  lingerOnEarlyAnswers(app);
  registerOperations(app, core, countRequest.registry);
  await app.register(apiPlugin, { core, catalog: createPackageCatalog(core, core.oci, await definedCatalogProviders(core, PROTOCOLS)), secureCookies: publicUrl.protocol === 'https:', version });
  for (const protocol of PROTOCOLS) await protocol.mount(app, { core, publicUrl, settings: { npmMaxBodyBytes: npm.maxBodyBytes } });
  await app.register(mcpPlugin, { core, version });
  await app.register(webUiPlugin);
  return app;
}

/**
 * The HTTP server Fastify would make (the same timeouts), with the memory lane in front of Fastify's handler:
 * a request the lane does not answer reaches Fastify untouched.
 */
function laneServer(lane: MemoryLane, handler: (request: IncomingMessage, response: ServerResponse) => void, timeouts: HttpTimeouts): Server {
  const server = createServer(
    // Node enforces the headers and request timeouts on this interval: once a second keeps them close to exact.
    { headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs), requestTimeout: timeouts.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    (request, response) => {
      if (!lane.answer(request, response)) handler(request, response);
    },
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  cutStalledConnections(server, timeouts.socketTimeoutMs);
  return server;
}
