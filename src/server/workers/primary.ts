import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { InProcessFailureCounts } from '../../core/auth/failure-counts.js';
import type { Delivery, Publication, PrimaryMessage, WorkerMessage } from './messages.js';
import { isWorkerMessage } from './messages.js';

/** A worker that dies sooner than this after starting is restarted after a pause, not at once (no crash loop). */
const QUICK_DEATH_MS = 5000;
const RESTART_PAUSE_MS = 1000;
/** How long a graceful stop may take before the worker is killed. */
const STOP_GRACE_MS = 15_000;

export interface PrimaryOptions {
  workers: number;
  /** Extra environment for every worker (e.g. the port the primary picked). */
  env: Record<string, string>;
  authFailureWindowMs: number;
  logger: Logger;
}

export interface RunningPrimary {
  /** Resolves once every worker has stopped. */
  close(): Promise<void>;
}

interface Broadcast {
  origin: Worker;
  originId: number;
  waiting: Set<Worker>;
}

/**
 * The primary process of a multi-worker server: forks the workers (they share its listening port; the
 * primary hands each new connection to the next worker), restarts any that dies while the others go on
 * serving, and relays what they must share (see messages.ts). Resolves once every worker listens; rejects
 * if one dies before that (a configuration or database error, which a restart would only repeat).
 */
export async function startPrimary(options: PrimaryOptions): Promise<RunningPrimary> {
  const { logger } = options;
  const failures = new InProcessFailureCounts(options.authFailureWindowMs);
  const ready = new Set<Worker>();
  const startedAt = new Map<Worker, number>();
  const broadcasts = new Map<number, Broadcast>();
  let nextBroadcast = 1;
  let closing = false;
  let startup: { resolve: () => void; reject: (error: Error) => void } | undefined;

  const fork = () => {
    const worker = cluster.fork(options.env);
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) onMessage(worker, message);
    });
    return worker;
  };

  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };

  const finish = (id: number) => {
    const broadcast = broadcasts.get(id);
    if (!broadcast || broadcast.waiting.size > 0) return;
    broadcasts.delete(id);
    send(broadcast.origin, { fly: 'published', id: broadcast.originId });
  };

  const deliver = (origin: Worker, originId: number, delivery: Delivery, to: Worker[]) => {
    const id = nextBroadcast++;
    broadcasts.set(id, { origin, originId, waiting: new Set(to) });
    for (const worker of to) send(worker, { fly: 'deliver', id, delivery });
    finish(id);
  };

  const publish = (origin: Worker, originId: number, publication: Publication) => {
    const everyone = [...ready];
    if (publication.topic === 'invalidation') {
      deliver(origin, originId, publication, everyone.filter((w) => w !== origin));
    } else {
      const window = failures.increment(publication.ip, publication.at, publication.delta);
      deliver(origin, originId, { topic: 'failures', ip: publication.ip, window: { ...window } }, everyone);
    }
  };

  function onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.fly === 'ready') {
      ready.add(worker);
      if (startup && ready.size === options.workers) startup.resolve();
    } else if (message.fly === 'publish' && isPublication(message.publication)) {
      publish(worker, message.id, message.publication);
    } else if (message.fly === 'delivered') {
      broadcasts.get(message.id)?.waiting.delete(worker);
      finish(message.id);
    }
  }

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker);
    // Whatever waited for this worker's acknowledgement need not wait any more.
    for (const [id, broadcast] of broadcasts) {
      if (broadcast.waiting.delete(worker)) finish(id);
    }
    if (closing) return;
    if (startup) {
      startup.reject(new Error(`a worker exited while starting (${signal ?? `code ${code}`}); see its log above`));
      return;
    }
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    logger.error({ worker: worker.process.pid, code, signal }, 'a worker exited; starting another (the others keep serving)');
    setTimeout(() => {
      if (!closing) fork();
    }, lived < QUICK_DEATH_MS ? RESTART_PAUSE_MS : 0).unref();
  });

  const close = async () => {
    closing = true;
    await Promise.all(Object.values(cluster.workers ?? {}).map((worker) => (worker ? stopWorker(worker) : undefined)));
  };

  try {
    await new Promise<void>((resolve, reject) => {
      startup = { resolve, reject };
      for (let i = 0; i < options.workers; i++) fork();
    });
  } catch (error) {
    await close();
    throw error;
  } finally {
    startup = undefined;
  }
  logger.info({ workers: options.workers }, 'workers listening');
  return { close };
}

function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}

function isPublication(value: unknown): value is Publication {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as { topic?: unknown; ip?: unknown; at?: unknown; delta?: unknown; event?: unknown };
  if (p.topic === 'failure') return typeof p.ip === 'string' && typeof p.at === 'number' && typeof p.delta === 'number';
  return p.topic === 'invalidation' && typeof p.event === 'object' && p.event !== null;
}
