import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import { FreezableProxy } from '../../../test/support/freezable-proxy.js';
import { storageFailureOf, StorageUnavailableError } from '../../core/storage-failure.js';
import { BoundedPool } from './bounded-pool.js';
import { openDatabase, type SqlDatabase } from './database.js';

const BOUND_MS = 500;

/** The PostgreSQL pool's bounds, through a proxy that can stop moving bytes (test/support/freezable-proxy.ts). */
describe.skipIf(TEST_ENGINE !== 'postgres')('the bounded PostgreSQL pool', () => {
  let scratch: TestDatabase;
  let proxy: FreezableProxy;
  let database: SqlDatabase;

  beforeAll(async () => {
    scratch = await createTestDatabase();
    const front = await FreezableProxy.inFrontOf(scratch.url);
    proxy = front.proxy;
    database = openDatabase(front.url, { timeouts: { connectMs: BOUND_MS, statementMs: BOUND_MS } });
  });
  afterEach(() => proxy.thaw());
  afterAll(async () => {
    await database?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  const backendPid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]?.pid;

  it('gives up on a statement that gets no answer, and never pools that connection again', async () => {
    const before = await backendPid();
    proxy.freeze();
    const failure = await backendPid().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect(storageFailureOf(failure)).toMatchObject({ kind: 'unavailable', code: 'FLY_DATABASE_UNAVAILABLE' });
    // The connections that were frozen never answer again; a new one does.
    proxy.thaw({ lost: true });
    const after = await backendPid();
    expect(after).toEqual(expect.any(Number));
    expect(after).not.toBe(before);
  });

  it("fails every later statement on a connection that lost an answer at once, as a transaction's ROLLBACK would be", async () => {
    const connection = await database.pool!.connect();
    try {
      proxy.freeze();
      const lost = await connection.query('select 1', []).catch((error: unknown) => error);
      expect(lost).toBeInstanceOf(StorageUnavailableError);
      // The same failure, without sending anything or waiting again.
      await expect(connection.query('rollback', [])).rejects.toBe(lost);
    } finally {
      connection.release();
    }
    proxy.thaw({ lost: true });
  });

  it('gives up waiting for a new connection that never opens', async () => {
    // No idle connection to fall back on: every one the pool holds is lost.
    proxy.freeze();
    await Promise.all(Array.from({ length: 10 }, () => backendPid().catch(() => undefined)));
    const failure = await backendPid().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect((failure as Error).message).toMatch(/connection/i);
    proxy.thaw({ lost: true });
    expect(await backendPid()).toEqual(expect.any(Number));
  });

  it('refuses at once, rather than queueing, a caller past the most that may wait for a connection', async () => {
    const front = await FreezableProxy.inFrontOf(scratch.url);
    const pool = new BoundedPool(new pg.Pool({ connectionString: front.url, max: 2, connectionTimeoutMillis: BOUND_MS }), 3);
    front.proxy.freeze();
    try {
      // 2 connections opening, 3 callers waiting for them, and 2 more.
      const settled: (string | undefined)[] = [];
      const callers = Array.from({ length: 7 }, () =>
        pool.connect().then(
          () => settled.push(undefined),
          (failure: unknown) => settled.push((failure as Error).message),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      // The two past the limit are refused before anything could have timed out.
      expect(settled).toEqual([expect.stringContaining('3 requests already wait for a database connection'), expect.stringContaining('3 requests already wait')]);
      await Promise.all(callers);
      expect(settled.slice(2)).toEqual(Array.from({ length: 5 }, () => expect.stringMatching(/timeout/)));
    } finally {
      await pool.end();
      await front.proxy.close();
    }
  });

  it("leaves PostgreSQL's own errors as they are, and keeps their connection", async () => {
    const before = await backendPid();
    const failure = await sql`select 1 / 0`.execute(database.db).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(StorageUnavailableError);
    expect((failure as { code?: string }).code).toBe('22012');
    expect(storageFailureOf(failure)).toBeUndefined();
    expect(await backendPid()).toBe(before);
  });

  it('has PostgreSQL cancel a statement that runs past the bound (57014, unavailable), and keeps its connection', async () => {
    const before = await backendPid();
    const failure = await sql`select pg_sleep(5)`.execute(database.db).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('57014');
    expect(storageFailureOf(failure)).toMatchObject({ kind: 'unavailable', code: '57014' });
    expect(await backendPid()).toBe(before);
  });
});
