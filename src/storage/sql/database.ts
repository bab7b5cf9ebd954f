import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { Database } from './schema.js';

export type SqlEngine = 'sqlite' | 'postgres';

export interface SqlDatabase {
  db: Kysely<Database>;
  engine: SqlEngine;
  /** The PostgreSQL pool, for LISTEN/NOTIFY and advisory locks; undefined on SQLite. */
  pool?: pg.Pool;
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
}

export function openDatabase(url: string, options: OpenOptions = {}): SqlDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // bigint columns hold epoch milliseconds and counters: well inside Number's exact range.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === PG_INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    pool.on('error', (error) => options.onConnectionError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const close = async () => {
      await db.destroy();
      // Kysely ends the pool only if it ever used it; LISTEN clients and leases may have used it alone.
      if (!pool.ending) await pool.end();
    };
    return { db, engine: 'postgres', pool, close };
  }
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteKeepingErrors(sqlite) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…); Kysely's ROLLBACK
 * after it would then fail with "cannot rollback - no transaction is active", and that error would replace
 * the one that says what happened (a full disk). Rolls back only a transaction that is still open.
 */
class SqliteKeepingErrors extends SqliteDialect {
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: sqlite });
  }
}
