import type { FailureWindow } from '../../core/auth/failure-counts.js';
import type { CacheInvalidation } from '../../core/invalidation.js';

/**
 * What the workers of one server and their primary process tell each other over the cluster IPC channel.
 * The primary is the broadcast bus: a worker publishes, the primary delivers to the workers concerned,
 * each acknowledges, and the publisher learns that every one of them has applied it.
 */
export type Publication =
  /** A token cache invalidation, committed: delivered to every other worker. */
  | { topic: 'invalidation'; event: CacheInvalidation }
  /** A failed authentication (delta 1), or a reserved attempt given back (-1): the primary counts it and delivers the resulting window to every worker. */
  | { topic: 'failure'; ip: string; at: number; delta: number };

export type Delivery = { topic: 'invalidation'; event: CacheInvalidation } | { topic: 'failures'; ip: string; window: FailureWindow };

export type WorkerMessage =
  /** Listening: from now on the worker takes part in deliveries. */
  | { fly: 'ready' }
  | { fly: 'publish'; id: number; publication: Publication }
  | { fly: 'delivered'; id: number };

export type PrimaryMessage = { fly: 'deliver'; id: number; delivery: Delivery } | { fly: 'published'; id: number };

/** Messages that are not ours (cluster's own, or malformed) are ignored by both sides. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { fly?: unknown; id?: unknown };
  return m.fly === 'ready' || ((m.fly === 'publish' || m.fly === 'delivered') && typeof m.id === 'number');
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { fly?: unknown; id?: unknown; delivery?: unknown };
  if (typeof m.id !== 'number') return false;
  return m.fly === 'published' || (m.fly === 'deliver' && typeof m.delivery === 'object' && m.delivery !== null);
}
