import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Core } from '../core/core.js';

/** Counts answered requests by method, route pattern and status, for /metrics; `count` runs on every request. */
export function requestCounter(): { registry: client.Registry; count(method: string, route: string, status: number): void } {
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
  return {
    registry,
    count(method, route, status) {
      const key = `${method} ${status} ${route}`;
      let counter = counters.get(key);
      if (!counter) {
        counter = requests.labels({ method, route, status: String(status) });
        counters.set(key, counter);
      }
      counter.inc();
    },
  };
}

/** /healthz (the process answers), /readyz (the database answers and storage takes writes), /metrics (Prometheus, from `registry`). */
export function registerOperations(app: FastifyInstance, core: Core, registry: client.Registry): void {
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
