import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface ScratchDatabase {
  /** FLY_DATABASE_URL for it: `sqlite:<file>` or `postgres://…/<fresh database>`. */
  url: string;
  /** A fresh temporary data directory (holds the SQLite file on SQLite). */
  dataDir: string;
  /** Removes the data directory and, on PostgreSQL, drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file or benchmark: a SQLite file in a temporary directory, or a new
 * database on the PostgreSQL server that `pgAdminUrl` reaches (trust auth, allowed to CREATE DATABASE).
 */
export async function createScratchDatabase(engine: 'sqlite' | 'postgres', pgAdminUrl: string, prefix = 'flytest'): Promise<ScratchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  if (engine === 'sqlite') {
    return { url: `sqlite:${join(dataDir, 'fly.db')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(pgAdminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    dataDir,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await onServer(pgAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** True when a PostgreSQL server answers at the URL within a couple of seconds. */
export async function postgresAnswers(pgAdminUrl: string): Promise<boolean> {
  try {
    await onServer(pgAdminUrl, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

async function onServer(pgAdminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
