import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, creds, errorCode, reg, skopeo } from '../oci/helpers/registry.js';
import { FreezableProxy } from '../support/freezable-proxy.js';

/** The server's database timeout in these tests (FLY_DATABASE_TIMEOUT, seconds). */
const TIMEOUT_SECONDS = 1;
/** Long past every bound the server sets itself: a request not answered by then hangs. */
const ANSWERED_WITHIN_MS = 15_000;

/**
 * A PostgreSQL that accepts connections and then says nothing (a hung host, a stalled network path, a stopped
 * process behind a live kernel): every request that needs it is answered 503 in its protocol's format once
 * the database timeout has passed, /readyz answers 503 within the 2 s it promises the probe, /healthz stays
 * ok, and once the database answers again everything works without a restart (that no connection which lost
 * an answer is pooled again is src/storage/sql/bounded-pool.test.ts's part). A statement stuck behind a lock
 * is cancelled by PostgreSQL itself at the same bound, and its connection goes on serving.
 *
 * The token cache is off (FLY_TOKEN_CACHE_TTL_MS=0) so that every authenticated request reads the database,
 * as one with a token not yet cached does.
 */
describe.skipIf(TEST_ENGINE !== 'postgres')('a database that stops answering', () => {
  let database: TestDatabase;
  let proxy: FreezableProxy;
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  // Made when the suite runs: one the other engine skips leaves no directory behind.
  let npm: NpmSandbox;
  let readerProject: string;
  let writerProject: string;
  const image = (tag: string) => `docker://${server.host}/team/app:${tag}`;

  beforeAll(async () => {
    npm = new NpmSandbox();
    database = await createTestDatabase();
    const front = await FreezableProxy.inFrontOf(database.url);
    proxy = front.proxy;
    server = await startServer({
      database,
      env: { FLY_DATABASE_URL: front.url, FLY_DATABASE_TIMEOUT: String(TIMEOUT_SECONDS), FLY_TOKEN_CACHE_TTL_MS: '0' },
    });
    admin = await login(server);
    writer = await admin.createToken({ name: 'writer', permission: 'read-write' });
    reader = await admin.createToken({ name: 'reader', permission: 'read-only' });
    // npm gives up on the first 503 here instead of retrying it for a minute (fetch-retries defaults to 2).
    writerProject = npm.project(`${writer.snippets.npmrc}\nfetch-retries=0\n`);
    readerProject = npm.project(`${reader.snippets.npmrc}\nfetch-retries=0\n`);
    const packed = await npm.pack({ name: 'fly-steady', version: '1.0.0' });
    const published = await npm.run(writerProject, ['publish', packed]);
    expect(published.code, published.output).toBe(0);
    await pushImage(server, writer, 'team/app', 'v1');
  });

  afterAll(async () => {
    proxy?.thaw();
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    npm?.remove();
  });

  it('answers 503 in every protocol format while the database is silent; /healthz stays ok, /readyz says why within 2 s', async () => {
    proxy.freeze();
    try {
      const within = (ms: number) => ({ signal: AbortSignal.timeout(ms) });
      const [readyz, healthz, manifest, simple, apiLogin, npmView, skopeoInspect] = await Promise.all([
        fetch(`${server.url}/readyz`, within(3000)),
        fetch(`${server.url}/healthz`, within(3000)),
        reg(server, '/v2/team/app/manifests/v1', { auth: basic(reader), ...within(ANSWERED_WITHIN_MS) }),
        fetch(`${server.url}/pypi/simple/anything/`, { headers: { authorization: `Bearer ${reader.token}` }, ...within(ANSWERED_WITHIN_MS) }),
        fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(server.admin),
          ...within(ANSWERED_WITHIN_MS),
        }),
        npm.run(readerProject, ['view', 'fly-steady', 'version'], { timeoutMs: 60_000 }),
        skopeo(['inspect', '--tls-verify=false', '--creds', creds(reader), image('v1')]),
      ]);

      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toEqual({ status: 'unavailable', reason: 'the database or the write probe did not answer within 2000 ms' });
      expect(healthz.status).toBe(200);

      expect(manifest.status).toBe(503);
      expect(await errorCode(manifest)).toBe('UNAVAILABLE');
      expect(simple.status).toBe(503);
      expect(await simple.text()).toContain('storage is not answering');
      expect(apiLogin.status).toBe(503);
      expect(((await apiLogin.json()) as { error: { code: string } }).error.code).toBe('unavailable');

      expect(npmView.code, npmView.output).not.toBe(0);
      expect(npmView.output).toMatch(/\b503\b/);
      expect(skopeoInspect.code, skopeoInspect.stderr).not.toBe(0);
      expect(skopeoInspect.stderr).toMatch(/503|UNAVAILABLE|unavailable/);
    } finally {
      proxy.thaw();
    }
  });

  it('works again once the database answers, without a restart', async () => {
    const deadline = Date.now() + 20_000;
    while ((await fetch(`${server.url}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('/readyz never became ready again');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // More requests than the pool has connections (10), each reading the database for its token.
    for (let i = 0; i < 12; i++) {
      const res = await reg(server, '/v2/team/app/manifests/v1', { auth: basic(reader) });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const view = await npm.run(readerProject, ['view', 'fly-steady', 'version']);
    expect(view.code, view.output).toBe(0);
    expect(view.stdout.trim()).toBe('1.0.0');
    const packed = await npm.pack({ name: 'fly-steady', version: '1.0.1' });
    const published = await npm.run(writerProject, ['publish', packed]);
    expect(published.code, published.output).toBe(0);
    const inspected = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(reader), image('v1')]);
    expect(inspected.code, inspected.stderr).toBe(0);

    const output = await server.settledOutput();
    expect(output).toContain('storage is unavailable: the database could not be reached or did not answer in time');
    expect(output).not.toContain(reader.token);
    expect(output).not.toContain(writer.token);
  });

  it('a statement stuck behind a lock is cancelled by PostgreSQL at the bound (503), and its connection goes on serving', async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table tokens in access exclusive mode');
      const blocked = await reg(server, '/v2/team/app/manifests/v1', { auth: basic(reader), signal: AbortSignal.timeout(ANSWERED_WITHIN_MS) });
      expect(blocked.status).toBe(503);
      expect(await errorCode(blocked)).toBe('UNAVAILABLE');
      await holder.query('rollback');
      for (let i = 0; i < 12; i++) {
        const res = await reg(server, '/v2/team/app/manifests/v1', { auth: basic(reader) });
        expect(res.status).toBe(200);
      }
    } finally {
      await holder.end();
    }
    expect(await server.settledOutput()).toContain('57014 query_canceled');
  });
});

/**
 * The embedded SQLite file held by another writer (an operator's `sqlite3` session with a transaction open, a
 * backup tool) past its busy timeout of 5 s: writes are answered 503 in each protocol's format (not 500), reads
 * go on (WAL), and writes work again as soon as the other writer lets go.
 */
/**
 * SQLite held by another process (an admin's shell, a backup): writes wait for the lock without stopping the
 * server, for up to 5 s, then answer 503; reads go on; everything works once the lock is free.
 */
describe.skipIf(TEST_ENGINE !== 'sqlite')('a database another process holds locked', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  // Made when the suite runs: one the other engine skips leaves no directory behind.
  let npm: NpmSandbox;
  let writerProject: string;

  beforeAll(async () => {
    npm = new NpmSandbox();
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'writer', permission: 'read-write' });
    writerProject = npm.project(`${writer.snippets.npmrc}\nfetch-retries=0\n`);
  });
  afterAll(async () => {
    await server?.stop();
    npm?.remove();
  });

  it('answers writes 503 while it is locked, serves reads, and takes writes again once it is free', async () => {
    const other = new Database(server.database.url.replace(/^sqlite:/, ''));
    const packed = await npm.pack({ name: 'fly-locked', version: '1.0.0' });
    try {
      other.exec('begin exclusive');
      const [created, published, read] = await Promise.all([
        admin.post('/api/v1/tokens', { name: 'while locked', permission: 'read-only', expiresAt: null }),
        npm.run(writerProject, ['publish', packed]),
        admin.get('/api/v1/tokens'),
      ]);
      expect(created.status).toBe(503);
      expect(created.body).toMatchObject({ error: { code: 'unavailable' } });
      expect(published.code, published.output).not.toBe(0);
      expect(published.output).toMatch(/\b503\b/);
      expect(read.status).toBe(200);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect((await admin.post('/api/v1/tokens', { name: 'after', permission: 'read-only', expiresAt: null })).status).toBe(201);
    const published = await npm.run(writerProject, ['publish', packed]);
    expect(published.code, published.output).toBe(0);
    expect(await server.settledOutput()).toContain('(SQLITE_BUSY)');
  });

  it('a write waits for the lock without stopping the server, and succeeds once the lock is free', async () => {
    const reader = await admin.createToken({ name: 'reads while a write waits', permission: 'read-only' });
    const whoami = () => reg(server, '/npm/-/whoami', { auth: basic(reader) });
    expect((await whoami()).status).toBe(200);
    const other = new Database(server.database.url.replace(/^sqlite:/, ''));
    other.exec('begin exclusive');
    let released = false;
    try {
      const created = admin.post('/api/v1/tokens', { name: 'waited for the lock', permission: 'read-only', expiresAt: null });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // While the write waits, the process answers, reads of the database included: nothing sleeps inside
      // SQLite, and the waiting write does not keep the process's connection between its tries.
      const started = Date.now();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await whoami()).status).toBe(200);
      expect((await admin.get('/api/v1/tokens')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      other.exec('rollback');
      released = true;
      expect((await created).status).toBe(201);
    } finally {
      if (!released) other.exec('rollback');
      other.close();
    }
  });

  it('keeps the usage of tokens used while it is locked, and writes it once it is free', async () => {
    const reader = await admin.createToken({ name: 'used while locked', permission: 'read-only' });
    const useCount = async () => {
      const listed = await admin.get('/api/v1/tokens');
      return (listed.body as { tokens: { id: string; useCount: number }[] }).tokens.find((token) => token.id === reader.id)?.useCount;
    };
    const list = () => reg(server, '/npm/-/whoami', { auth: basic(reader) });
    expect((await list()).status).toBe(200);
    const other = new Database(server.database.url.replace(/^sqlite:/, ''));
    try {
      other.exec('begin exclusive');
      // The token is cached: it authenticates without the database, and each use is stamped in memory.
      for (let i = 0; i < 5; i++) expect((await list()).status).toBe(200);
      // Past two busy timeouts (5 s each): the usage write (per secret, then per token) has failed.
      await new Promise((resolve) => setTimeout(resolve, 11_500));
    } finally {
      other.exec('rollback');
      other.close();
    }
    const deadline = Date.now() + 10_000;
    while ((await useCount()) !== 6) {
      if (Date.now() > deadline) throw new Error(`the token's use count stayed at ${await useCount()}, not 6`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await server.settledOutput()).toContain('background write failed');
  });
});
