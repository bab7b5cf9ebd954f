import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { BoundedPool } from './bounded-pool.js';
import { ServerSqliteDialect } from './sqlite-dialect.js';
import type { Database } from './schema.js';

export type SqlEngine = 'sqlite' | 'postgres';

export interface SqlDatabase {
  db: Kysely<Database>;
  engine: SqlEngine;
  /** The PostgreSQL pool, for advisory locks; undefined on SQLite. */
  pool?: BoundedPool;
  close(): Promise<void>;
}

const PG_INT8_OID = 20;

/** Opens `postgres://…` on PostgreSQL, `sqlite:<path>` (or a bare path) on embedded SQLite in WAL mode. */
export interface OpenOptions {
  /**
   * Called when PostgreSQL drops an idle pooled connection (a restart, an administrator's terminate). The
   * pool discards that client and opens another on demand; without a listener Node would crash the process.
   */
  onConnectionError?(error: Error): void;
  /**
   * PostgreSQL only: how long to wait for a connection (a new one, or a free one from the pool), and how long
   * one statement may run, in milliseconds. Past either, the statement fails as "database unavailable" (a 503
   * for the client) instead of waiting for ever on a database that accepts connections but does not answer.
   * Without `statementMs` a statement may run as long as it takes (migrations, `flyreg gc`).
   */
  timeouts?: { connectMs: number; statementMs?: number };
}

/**
 * PostgreSQL cancels a statement at `statementMs` itself (57014, the connection stays usable); the driver
 * gives up waiting for an answer this much later, which only a database that stopped answering reaches.
 */
const ANSWER_MARGIN_MS = 1000;

export function openDatabase(url: string, options: OpenOptions = {}): SqlDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { connectMs, statementMs } = options.timeouts ?? {};
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: connectMs,
      query_timeout: statementMs === undefined ? undefined : statementMs + ANSWER_MARGIN_MS,
      // A peer that vanished without closing (a host gone, a dropped route) is noticed on idle connections too.
      keepAlive: true,
      // bigint columns hold epoch milliseconds and counters: well inside Number's exact range.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === PG_INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    pool.on('error', (error) => options.onConnectionError?.(error));
    // Set on each new connection rather than as a startup parameter, which PgBouncer refuses by default. It
    // runs before anything else on that connection (a client's statements run in order); should it fail,
    // the driver's read timeout still bounds every statement.
    if (statementMs !== undefined) pool.on('connect', (client) => void client.query(`set statement_timeout = ${Math.floor(statementMs)}`).catch(() => undefined));
    const bounded = new BoundedPool(pool);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: bounded }) });
    const close = async () => {
      await db.destroy();
      // Kysely ends the pool only if it ever used it; leases may have used it alone.
      await bounded.end();
    };
    return { db, engine: 'postgres', pool: bounded, close };
  }
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // No busy timeout: SQLite would sleep inside the synchronous call. Busy statements wait without blocking the
  // event loop instead (sqlite-dialect.ts).
  sqlite.pragma('busy_timeout = 0');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ServerSqliteDialect(sqlite) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}
