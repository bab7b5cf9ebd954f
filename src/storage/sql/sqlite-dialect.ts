import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a statement waits for another process's write lock (the server's other workers, an admin command)
 * before it fails as busy, which the server answers 503.
 */
const SQLITE_BUSY_WAIT_MS = 5000;
/** The first pause between two attempts; each pause is twice the one before, up to the last. */
const FIRST_PAUSE_MS = 1;
const LAST_PAUSE_MS = 50;

/**
 * Kysely's SQLite dialect as the server needs it when several processes (its workers) share one database:
 *
 * - Transactions begin IMMEDIATE: they take the write lock first. A deferred transaction that read and then
 *   wrote while another process held the lock would fail at once (SQLite does not wait there: the wait could
 *   deadlock), so with two workers some concurrent writes failed.
 * - Waiting for the lock never blocks the event loop. SQLite's own busy timeout sleeps inside the call, and
 *   better-sqlite3's calls are synchronous: every request of the process would stop while it waits. Instead
 *   the database is opened without a busy timeout, and a statement outside a transaction that finds the
 *   database busy (BEGIN IMMEDIATE included) is tried again after a pause, for up to SQLITE_BUSY_WAIT_MS.
 *   Inside a transaction nothing waits: it holds the write lock, and readers never block it in WAL mode.
 * - A rollback runs only while the transaction is still open: SQLite rolls back by itself on some errors
 *   (SQLITE_FULL, SQLITE_IOERR…), and Kysely's ROLLBACK would then fail with "cannot rollback - no transaction
 *   is active", an error that would replace the one that says what happened (a full disk).
 */
export class ServerSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      /** The driver's one connection, as the process's statements get it: waiting when the database is busy. */
      private waiting: DatabaseConnection | undefined;

      override async acquireConnection(): Promise<DatabaseConnection> {
        const connection = await super.acquireConnection();
        this.waiting ??= {
          executeQuery: (query) => (sqlite.inTransaction ? connection.executeQuery(query) : whenNotBusy(() => connection.executeQuery(query), (ms) => this.pause(ms))),
          streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
        };
        return this.waiting;
      }

      /**
       * The process has one connection, which its holder keeps while it runs a statement: during a pause it is
       * handed back, so the process's other statements (reads, which the lock does not stop) run meanwhile.
       */
      private async pause(ms: number): Promise<void> {
        await this.releaseConnection();
        await sleep(ms);
        await super.acquireConnection();
      }

      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }

      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: sqlite });
  }
}

/** Runs `attempt` until it does not fail busy, pausing between tries, for up to SQLITE_BUSY_WAIT_MS. */
async function whenNotBusy<T>(attempt: () => Promise<T>, pause: (ms: number) => Promise<void>): Promise<T> {
  const deadline = Date.now() + SQLITE_BUSY_WAIT_MS;
  for (let ms = FIRST_PAUSE_MS; ; ms = Math.min(ms * 2, LAST_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() + ms > deadline) throw error;
    }
    await pause(ms);
  }
}

/** Another process holds the lock, or is recovering the WAL: worth another try (not a stale snapshot). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
}
