import type { FastifyInstance } from 'fastify';
import { setTimeout } from 'node:timers/promises';
import client from 'prom-client';
import type { Core } from '../core/core.js';
import { collectProcessMetrics } from './process-metrics.js';

/** How often the event loop's delay is sampled (server/process-metrics.ts): 10 wake-ups a second. */
const EVENT_LOOP_SAMPLE_MS = 100;

/** Counts answered requests by method, route pattern and status, for /metrics; `count` runs on every request. */
export function requestCounter(): { registry: client.Registry; count(method: string, route: string, status: number): void } {
  const registry = new client.Registry();
  collectProcessMetrics(registry, EVENT_LOOP_SAMPLE_MS);
  // Counted here and handed to prom-client when /metrics is read: its own inc() hashes the label object on
  // every call, even through a child. One number per (route, status, method), found through a map per part:
  // routes are the registered patterns and methods the parser's own strings, so no key is built per request
  // and the maps stay small.
  const counts = new Map<string, Map<number, Map<string, Count>>>();
  new client.Counter({
    name: 'fly_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      for (const byStatus of counts.values()) {
        for (const byMethod of byStatus.values()) {
          for (const count of byMethod.values()) {
            if (count.unreported === 0) continue;
            this.inc(count.labels, count.unreported);
            count.unreported = 0;
          }
        }
      }
    },
  });
  return {
    registry,
    count(method, route, status) {
      let byStatus = counts.get(route);
      if (!byStatus) counts.set(route, (byStatus = new Map()));
      let byMethod = byStatus.get(status);
      if (!byMethod) byStatus.set(status, (byMethod = new Map()));
      const count = byMethod.get(method);
      if (count) count.unreported++;
      else byMethod.set(method, { labels: { method, route, status: String(status) }, unreported: 1 });
    },
  };
}

interface Count {
  labels: { method: string; route: string; status: string };
  unreported: number;
}

/**
 * How long /readyz waits for its answer: a replica whose database (or write probe) takes longer is not ready.
 * Under the 3 s probe timeout of deploy/kubernetes, so the probe gets an answer rather than its own timeout.
 */
const READY_WITHIN_MS = 2000;

/** /healthz (the process answers), /readyz (the database answers and storage takes writes), /metrics (Prometheus, from `registry`). */
export function registerOperations(app: FastifyInstance, core: Core, registry: client.Registry): void {
  new client.Gauge({
    name: 'fly_body_memory_held_bytes',
    help: 'Bytes of request bodies read whole (npm publishes, OCI manifests, management API JSON) this process holds now (of FLY_BODY_MEMORY_MB)',
    registers: [registry],
    collect() {
      this.set(core.bodyMemory.heldBytes);
    },
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // A check left behind when the wait ends first is bounded too, by the database and S3 timeouts.
    const reason = await Promise.race([
      unreadiness(core),
      setTimeout(READY_WITHIN_MS, `the database or the write probe did not answer within ${READY_WITHIN_MS} ms`, { ref: false }),
    ]);
    return reason === undefined ? { status: 'ready' } : reply.status(503).send({ status: 'unavailable', reason });
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}

/** Why this replica is not ready, or undefined when it is. */
async function unreadiness(core: Core): Promise<string | undefined> {
  try {
    await core.store.ping();
  } catch {
    return 'database unreachable';
  }
  // Not ready while writes fail for lack of storage (probed until they work again: no restart needed).
  const storage = await core.storageHealth.readiness();
  return storage.ready ? undefined : `storage cannot be written: ${storage.cause}`;
}
