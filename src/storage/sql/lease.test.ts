import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import { openDatabase, type SqlDatabase } from './database.js';
import { withLease } from './lease.js';

describe(`withLease (${TEST_ENGINE})`, () => {
  let scratch: TestDatabase;
  let replicaA: SqlDatabase;
  let replicaB: SqlDatabase;

  beforeAll(async () => {
    scratch = await createTestDatabase();
    // Two pools over one database, as two replicas would have.
    replicaA = openDatabase(scratch.url);
    replicaB = openDatabase(scratch.url);
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await scratch?.drop();
  });

  it('runs the work and hands back its value', async () => {
    expect(await withLease(replicaA, 'sweep', async () => 42)).toEqual({ acquired: true, value: 42 });
  });

  it('skips work of the same name while it runs in this process, and runs other names', async () => {
    let release!: () => void;
    const running = withLease(replicaA, 'slow', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await sleep(50);
    expect(await withLease(replicaA, 'slow', async () => 'overlap')).toEqual({ acquired: false });
    expect(await withLease(replicaA, 'other', async () => 'other')).toEqual({ acquired: true, value: 'other' });
    release();
    expect(await running).toEqual({ acquired: true, value: 'done' });
    expect(await withLease(replicaA, 'slow', async () => 'again')).toEqual({ acquired: true, value: 'again' });
  });

  it.skipIf(TEST_ENGINE !== 'postgres')('lets one replica at a time hold a lease, and frees it when the work fails (PostgreSQL only)', async () => {
    let release!: () => void;
    const held = withLease(replicaA, 'gc', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(100);
    expect(await withLease(replicaB, 'gc', async () => 'B ran')).toEqual({ acquired: false });
    release();
    await held;
    expect(await withLease(replicaB, 'gc', async () => 'B ran')).toEqual({ acquired: true, value: 'B ran' });
    await expect(withLease(replicaA, 'gc', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLease(replicaB, 'gc', async () => 'after failure')).toEqual({ acquired: true, value: 'after failure' });
  });
});
