import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import type { CacheInvalidation } from '../../core/invalidation.js';
import { openDatabase, type SqlDatabase } from './database.js';
import { SqlMetadataStore } from './metadata-store.js';
import { migrateToLatest } from './migrate.js';
import { PgInvalidationBus } from './pg-invalidation-bus.js';

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

describe.skipIf(TEST_ENGINE !== 'postgres')('PgInvalidationBus (LISTEN/NOTIFY; PostgreSQL only)', () => {
  let scratch: TestDatabase;
  let databaseA: SqlDatabase;
  let databaseB: SqlDatabase;
  let replicaA: PgInvalidationBus;
  let replicaB: PgInvalidationBus;
  const heardByB: CacheInvalidation[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    scratch = await createTestDatabase();
    databaseA = openDatabase(scratch.url);
    databaseB = openDatabase(scratch.url);
    await migrateToLatest(databaseA);
    replicaA = new PgInvalidationBus(databaseA, { connectionString: scratch.url, onError: (e) => errors.push(e) });
    replicaB = new PgInvalidationBus(databaseB, { connectionString: scratch.url, onError: (e) => errors.push(e) });
    await replicaA.start();
    await replicaB.start();
    replicaB.subscribe((event) => heardByB.push(event));
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await databaseA?.close();
    await databaseB?.close();
    await scratch?.drop();
  });

  it('delivers an event published on one replica to the others', async () => {
    heardByB.length = 0;
    await replicaA.publish({ kind: 'token', tokenId: 'tok-1' });
    await waitFor(() => heardByB.length > 0);
    expect(heardByB).toEqual([{ kind: 'token', tokenId: 'tok-1' }]);
  });

  it('sends an event published inside a transaction only when it commits', async () => {
    heardByB.length = 0;
    const store = new SqlMetadataStore(databaseA);
    await expect(
      store.transaction(async (tx) => {
        await replicaA.publish({ kind: 'token', tokenId: 'rolled-back' }, tx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await store.transaction(async (tx) => {
      await replicaA.publish({ kind: 'token', tokenId: 'committed' }, tx);
      await sleep(200); // still uncommitted: nothing may arrive yet
      expect(heardByB).toEqual([]);
    });
    await waitFor(() => heardByB.length > 0);
    await sleep(100);
    expect(heardByB).toEqual([{ kind: 'token', tokenId: 'committed' }]);
  });

  it('reconnects when its listening connection is killed, and tells subscribers to forget everything', async () => {
    heardByB.length = 0;
    errors.length = 0;
    expect(replicaB.listening).toBe(true);
    // Kill every LISTEN connection on this database except A's own pool (as a PostgreSQL restart or failover would).
    const admin = openDatabase(scratch.url);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'LISTEN%'`.execute(
      admin.db,
    );
    await admin.close();
    await waitFor(() => heardByB.some((e) => e.kind === 'all-tokens'));
    expect(replicaB.listening).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    heardByB.length = 0;
    await replicaA.publish({ kind: 'token', tokenId: 'after-reconnect' });
    await waitFor(() => heardByB.length > 0);
    expect(heardByB).toEqual([{ kind: 'token', tokenId: 'after-reconnect' }]);
  });
});
