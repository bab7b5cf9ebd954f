import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverProcess } from '../support/s3rver-process.js';
import { createUser, login } from '../helpers/api.js';
import { OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST, sha256 } from '../oci/helpers/oci-layout.js';
import { pushBlob } from '../oci/helpers/push.js';
import { basic, reg } from '../oci/helpers/registry.js';
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
    // Both at once, on an empty database: they race for the migrations and the first admin. B hands blob
    // downloads off to the object store (FLY_BLOB_REDIRECT); A streams them.
    [a, b] = await Promise.all([startServer({ env, database }), startServer({ env: { ...env, FLY_BLOB_REDIRECT: 'true' }, database })]);
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
    // Deactivation revokes the user's tokens (they stay revoked if the user is reactivated).
    expect(refused).toMatchObject({ code: 'token_revoked' });
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

  it('an image pushed through A with chunks alternating between A and B is pulled through B (redirected to S3) and A', async () => {
    const token = await (await login(a)).createToken({ name: 'pusher', permission: 'read-write' });
    const auth = basic(token);
    const repo = 'team/across-replicas';
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await pushBlob(a, token, repo, config);

    // A 9 MiB chunk (a multipart upload of its own inside the store), then small ones, on alternating replicas.
    const chunks = [randomBytes(9 * 1024 * 1024), randomBytes(100 * 1024), randomBytes(2 * 1024 * 1024)];
    const layer = Buffer.concat(chunks);
    const started = await reg(a, `/v2/${repo}/blobs/uploads/`, { method: 'POST', auth });
    expect(started.status).toBe(202);
    const session = new URL(started.headers.get('location') ?? '', a.url);
    const path = `${session.pathname}${session.search}`;
    let offset = 0;
    for (const [i, chunk] of chunks.entries()) {
      const replica = i % 2 === 0 ? a : b;
      const res = await reg(replica, path, {
        method: 'PATCH',
        auth,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}` },
        body: chunk,
      });
      expect(res.status, await res.clone().text()).toBe(202);
      offset += chunk.length;
      expect(res.headers.get('range')).toBe(`0-${offset - 1}`);
    }
    // Both replicas see the session's true size: a chunk that does not follow on is refused on either.
    const status = await reg(a, path, { auth });
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe(`0-${layer.length - 1}`);
    const outOfOrder = await reg(b, path, { method: 'PATCH', auth, headers: { 'content-range': '0-3' }, body: Buffer.from('oops') });
    expect(outOfOrder.status).toBe(416);

    const layerDigest = sha256(layer);
    const committed = await reg(b, `${path}${path.includes('?') ? '&' : '?'}digest=${layerDigest}`, { method: 'PUT', auth });
    expect(committed.status, await committed.clone().text()).toBe(201);

    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
        layers: [{ mediaType: OCI_LAYER_GZIP, digest: layerDigest, size: layer.length }],
      }),
    );
    const pushed = await reg(a, `/v2/${repo}/manifests/v1`, { method: 'PUT', auth, headers: { 'content-type': OCI_MANIFEST }, body: manifest });
    expect(pushed.status, await pushed.clone().text()).toBe(201);

    // Pull through B: the manifest from the database, the blobs by redirect to pre-signed S3 URLs.
    const pulled = await reg(b, `/v2/${repo}/manifests/v1`, { auth, headers: { accept: OCI_MANIFEST } });
    expect(pulled.status).toBe(200);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(manifest)).toBe(true);
    for (const [digest, bytes] of [[configDigest, config], [layerDigest, layer]] as const) {
      const redirect = await reg(b, `/v2/${repo}/blobs/${digest}`, { auth });
      expect(redirect.status).toBe(307);
      const location = redirect.headers.get('location') ?? '';
      expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/replicas/sha256/`)).toBe(true);
      const fromStore = await fetch(location);
      expect(fromStore.status).toBe(200);
      expect(Buffer.from(await fromStore.arrayBuffer()).equals(bytes)).toBe(true);
      // A streams the same bytes itself.
      const streamed = await reg(a, `/v2/${repo}/blobs/${digest}`, { auth });
      expect(streamed.status).toBe(200);
      expect(Buffer.from(await streamed.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // A blob the repository does not hold is refused before any redirect.
    const unknown = await reg(b, `/v2/${repo}/blobs/${sha256('never pushed')}`, { auth });
    expect(unknown.status).toBe(404);
  });
});
