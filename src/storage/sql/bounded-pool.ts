import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { DATABASE_UNAVAILABLE, StorageUnavailableError } from '../../core/storage-failure.js';
import { isSocketError } from '../socket-error.js';

/**
 * What `pg` says, without a code, when it has no connection or lost one: its pool's wait for a connection ran
 * out, a statement's answer did not come in time, or the socket is gone. (An error PostgreSQL itself sends
 * carries its SQLSTATE and is passed on as it is.)
 */
const LOST_CONNECTION = /^(timeout exceeded when trying to connect|Query read timeout|Connection terminated|Client has encountered a connection error|Client was closed)/;

/** Callers waiting for a connection at once, by default: at a millisecond a statement, 10 connections clear them in 0.1 s. */
const MAX_WAITING = 1000;

/** The database connection's failure, marked so that core answers it "unavailable" (src/core/storage-failure.ts). */
function databaseUnavailable(message: string, cause?: Error): StorageUnavailableError {
  return new StorageUnavailableError(DATABASE_UNAVAILABLE, `the database connection failed: ${message}`, { cause });
}

/**
 * The PostgreSQL pool as Kysely and the leases use it, with its connection failures marked (above), and a
 * connection that failed so (a statement it gave up waiting for may still be running on it, or the socket is
 * dead) destroyed on release instead of going back to the pool, where the next statement would queue behind
 * the lost one. The waits themselves are bounded by the pool's own options (see openDatabase).
 */
export class BoundedPool implements PostgresPool {
  /** One wrapper a pooled connection, so that Kysely (which keeps state per client object) sees the same one. */
  private readonly clients = new WeakMap<pg.PoolClient, BoundedClient>();

  /**
   * `maxWaiting`: callers that may wait for a connection at once. Past it a caller fails at once instead of
   * joining the queue, so a database that stopped answering costs a bounded number of requests held open
   * (each waits out the connect timeout), not every request arriving during that wait.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  async connect(): Promise<BoundedClient> {
    if (this.pool.waitingCount >= this.maxWaiting) {
      throw databaseUnavailable(`${this.pool.waitingCount} requests already wait for a database connection`);
    }
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw markedFailure(error);
    }
    let bounded = this.clients.get(client);
    if (!bounded) this.clients.set(client, (bounded = new BoundedClient(client)));
    return bounded;
  }

  end(): Promise<void> {
    return this.pool.ending ? Promise.resolve() : this.pool.end();
  }
}

export class BoundedClient implements PostgresPoolClient {
  /** The connection failure seen on this client: every later statement fails with it, and release destroys it. */
  private lost: StorageUnavailableError | undefined;

  constructor(private readonly client: pg.PoolClient) {}

  query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query(cursor: never): never;
  async query<R>(text: string, parameters: ReadonlyArray<unknown> = []): Promise<PostgresQueryResult<R>> {
    if (this.lost) throw this.lost;
    try {
      return (await this.client.query(text, parameters as unknown[])) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      const marked = markedFailure(error);
      if (marked instanceof StorageUnavailableError) this.lost = marked;
      throw marked;
    }
  }

  /** `destroy`, or a lost connection: closed rather than pooled (closing ends whatever was left on it). */
  release(destroy?: boolean | Error): void {
    this.client.release(this.lost ?? destroy);
  }
}

/** `error` marked as the database's unavailability when it is the connection's failure; anything else as it is. */
function markedFailure(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const connectionFailure = isSocketError(error) || ((error as { code?: unknown }).code === undefined && LOST_CONNECTION.test(error.message));
  return connectionFailure ? databaseUnavailable(error.message, error) : error;
}
