import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Core } from '../core/core.js';

/** /healthz (the process answers), /readyz (the database answers and storage takes writes), /metrics (Prometheus). */
export function registerOperations(app: FastifyInstance, core: Core): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'fly_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  // One child counter per (method, route, status), found by a string key: prom-client would otherwise hash
  // the label object on every request. Routes are the registered patterns, so the map stays small.
  const counters = new Map<string, client.Counter.Internal>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let counter = counters.get(key);
    if (!counter) {
      counter = requests.labels({ method: request.method, route, status: String(reply.statusCode) });
      counters.set(key, counter);
    }
    counter.inc();
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await core.store.ping();
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
    // Not ready while writes fail for lack of storage (probed until they work again: no restart needed).
    const storage = await core.storageHealth.readiness();
    if (!storage.ready) return reply.status(503).send({ status: 'unavailable', reason: `storage cannot be written: ${storage.cause}` });
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
