import { createHash } from 'node:crypto';
import type { SqlDatabase } from './database.js';

/** First key of every lease's two-part advisory lock: "fly-registry leases" (the migration lock uses the one-part key space). */
const LEASE_NAMESPACE = 724_113_902;

export type LeaseResult<T> = { acquired: true; value: T } | { acquired: false };

/** Names this process is running right now: a slow run is never overlapped by the next tick of its own timer. */
const runningHere = new Set<string>();

/**
 * Runs background work under a named lease so that, with several replicas, one of them does it at a time
 * and the others skip their turn (the abandoned-upload sweeper, `flyreg gc`). It never waits: if another
 * process holds the lease, `fn` is not called and `{ acquired: false }` comes back.
 *
 * On PostgreSQL the lease is a session advisory lock (pg_try_advisory_lock) on a connection held for the
 * duration of `fn`; if the process dies, PostgreSQL drops the connection and the lock with it, so a lease
 * can never be left stuck. On SQLite there is one process by design, and the in-process guard suffices.
 */
export async function withLease<T>(database: SqlDatabase, name: string, fn: () => Promise<T>): Promise<LeaseResult<T>> {
  if (runningHere.has(name)) return { acquired: false };
  runningHere.add(name);
  try {
    if (!database.pool) return { acquired: true, value: await fn() };
    const key = leaseKey(name);
    const connection = await database.pool.connect();
    // A connection whose unlock failed must not go back to the pool still holding the lock: closing it
    // releases the lock for certain.
    let unlockFailed: Error | undefined;
    try {
      const { rows } = await connection.query<{ acquired: boolean }>('select pg_try_advisory_lock($1, $2) as acquired', [LEASE_NAMESPACE, key]);
      if (!rows[0]?.acquired) return { acquired: false };
      try {
        return { acquired: true, value: await fn() };
      } finally {
        await connection.query('select pg_advisory_unlock($1, $2)', [LEASE_NAMESPACE, key]).catch((error: unknown) => {
          unlockFailed = error instanceof Error ? error : new Error(String(error));
        });
      }
    } finally {
      connection.release(unlockFailed);
    }
  } finally {
    runningHere.delete(name);
  }
}

/** A stable signed 32-bit key for a lease name (advisory locks take integers). */
function leaseKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}
