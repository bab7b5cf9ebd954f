import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverProcess } from '../../src/bench/s3rver-process.js';
import { createUser, login } from '../helpers/api.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Long enough that only LISTEN/NOTIFY, never the TTL fallback, can explain B refusing within the test. */
const CACHE_TTL_MS = 60_000;

/** Polls `request` back to back until it is refused; returns how long that took and the refusal's error code. */
async function untilRefused(request: () => Promise<Response>, timeoutMs = 10_000): Promise<{ ms: number; code: string }> {
  const started = performance.now();
  for (;;) {
    const res = await request();
    const body = (await res.json()) as { error?: { code?: string } };
    if (res.status !== 200) return { ms: performance.now() - started, code: body.error?.code ?? String(res.status) };
    if (performance.now() - started > timeoutMs) throw new Error(`still accepted after ${timeoutMs} ms`);
  }
}

function whoami(server: TestServer, secret: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
}

/** pino's numeric levels: 50 = error, 60 = fatal. */
function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(50|60)/.test(line) || /migration .*failed/i.test(line));
}

describe.skipIf(TEST_ENGINE !== 'postgres')('two replicas sharing PostgreSQL and an S3 store (needs FLY_TEST_DB=postgres: replicas require PostgreSQL)', () => {
  let s3: S3rverProcess;
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    s3 = await startS3rver();
    database = await createTestDatabase();
    const env = { ...s3.env('replicas'), FLY_TOKEN_CACHE_TTL_MS: String(CACHE_TTL_MS) };
    // Both at once, on an empty database: they race for the migrations and the first admin.
    [a, b] = await Promise.all([startServer({ env, database }), startServer({ env, database })]);
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await database?.drop();
    await s3?.stop();
  });

  it('both start at once on an empty database: migrations run once, one admin, no errors, both ready', async () => {
    expect(errorLines(a.output())).toEqual([]);
    expect(errorLines(b.output())).toEqual([]);
    for (const replica of [a, b]) expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const migrations = await client.query<{ name: string }>('select name from kysely_migration order by name');
      expect(new Set(migrations.rows.map((r) => r.name)).size).toBe(migrations.rows.length);
      expect(migrations.rows.length).toBeGreaterThan(0);
      const admins = await client.query<{ n: number }>("select count(*)::int as n from users where role = 'admin'");
      expect(admins.rows[0]?.n).toBe(1);
    } finally {
      await client.end();
    }
    // The same admin logs in on either replica.
    await login(a);
    await login(b);
  });

  it('a token revoked on A is refused by B on its next request (LISTEN/NOTIFY, not the cache TTL)', async () => {
    const adminOnA = await login(a);
    const token = await adminOnA.createToken({ name: 'revoked across replicas', permission: 'read-write' });
    // B verifies it and caches the record (for a minute: CACHE_TTL_MS).
    for (let i = 0; i < 3; i++) expect((await whoami(b, token.token)).status).toBe(200);

    const revoked = await adminOnA.post(`/api/v1/tokens/${token.id}/revoke`);
    expect(revoked.status).toBe(200);
    const refused = await untilRefused(() => whoami(b, token.token));
    process.stdout.write(`revocation propagation A → B: ${refused.ms.toFixed(1)} ms (from A's answer to B's first refusal)\n`);
    expect(refused).toMatchObject({ code: 'token_revoked' });
    expect(refused.ms).toBeLessThan(1000);
  });

  it("deactivating a user on A stops that user's tokens on B", async () => {
    const adminOnA = await login(a);
    const developer = await createUser(adminOnA, 'dev-across');
    const token = await developer.createToken({ name: 'dev token', permission: 'read-only' });
    expect((await whoami(b, token.token)).status).toBe(200);
    const users = await adminOnA.get<{ users: { id: string; username: string }[] }>('/api/v1/users');
    const id = users.body.users.find((u) => u.username === 'dev-across')?.id;
    expect((await adminOnA.request('PATCH', `/api/v1/users/${id}`, { status: 'deactivated' })).status).toBe(200);
    const refused = await untilRefused(() => whoami(b, token.token));
    expect(refused).toMatchObject({ code: 'user_inactive' });
    expect(refused.ms).toBeLessThan(1000);
  });

  it('B keeps enforcing revocations after its listening connection to PostgreSQL is cut', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`);
    await client.end();
    // The listeners reconnect on their own within a few hundred ms.
    for (let waited = 0; !b.output().includes('cache invalidation listener reconnected'); waited += 50) {
      if (waited > 10_000) throw new Error(`B never reconnected:\n${b.output()}`);
      await sleep(50);
    }
    const adminOnA = await login(a);
    const token = await adminOnA.createToken({ name: 'after reconnect', permission: 'read-only' });
    expect((await whoami(b, token.token)).status).toBe(200);
    expect((await adminOnA.post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
    const refused = await untilRefused(() => whoami(b, token.token));
    expect(refused).toMatchObject({ code: 'token_revoked' });
    expect(refused.ms).toBeLessThan(1000);
  });
});
