import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotatedToken } from '../../src/api/answers.js';
import { login } from '../helpers/api.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';
import { skopeo } from '../oci/helpers/registry.js';

/** Long enough that only the invalidation (NOTIFY) and the retirement time, never the TTL, can explain a refusal. */
const CACHE_TTL_MS = 60_000;
/** Room for two skopeo runs per replica on a busy machine. */
const OVERLAP_SECONDS = 15;

/** skopeo inspect of the test image through one replica, with a token username and one of its secrets. */
const inspect = (server: TestServer, username: string, secret: string) =>
  skopeo(['inspect', '--tls-verify=false', '--creds', `${username}:${secret}`, `docker://${server.host}/team/pair:v1`]);

function whoami(server: TestServer, secret: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
}

async function status(server: TestServer, secret: string): Promise<{ status: number; code?: string }> {
  const res = await whoami(server, secret);
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code };
}

/**
 * Rotation across a PostgreSQL pair: each replica caches token records for a minute, yet the replaced
 * secret works on both during the overlap (API and skopeo) and is refused by both on the first request after it, and an
 * overlap of 0 stops it on the other replica at once (the rotation's invalidation).
 */
describe.skipIf(TEST_ENGINE !== 'postgres')('token rotation on two replicas sharing PostgreSQL (needs FLY_TEST_DB=postgres)', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { FLY_TOKEN_CACHE_TTL_MS: String(CACHE_TTL_MS) };
    a = await startServer({ env, database });
    b = await startServer({ env, database });
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await database?.drop();
  });

  it('both secrets work on both replicas (API and skopeo) during the overlap; after it the old one gets 401 on both, though cached as valid', async () => {
    const admin = await login(a);
    const token = await admin.createToken({ name: 'rotated across replicas', permission: 'read-write' });
    await pushImage(a, token, 'team/pair', 'v1');
    // Both replicas cache the secret as the token's current one.
    for (const replica of [a, b]) expect((await status(replica, token.token)).status).toBe(200);

    const res = await admin.post<RotatedToken>(`/api/v1/tokens/${token.id}/rotate`, { overlapSeconds: OVERLAP_SECONDS });
    expect(res.status).toBe(200);
    const rotated = res.body;
    for (const replica of [a, b]) {
      expect(await status(replica, token.token)).toEqual({ status: 200 });
      expect(await status(replica, rotated.token)).toEqual({ status: 200 });
      for (const secret of [token.token, rotated.token]) {
        const pulled = await inspect(replica, token.username, secret);
        expect(pulled.code, pulled.stderr).toBe(0);
      }
    }
    expect(Date.now(), 'the requests outran the overlap: raise OVERLAP_SECONDS').toBeLessThan(Date.parse(rotated.previousSecretRetiresAt));

    await sleep(Date.parse(rotated.previousSecretRetiresAt) - Date.now() + 50);
    for (const replica of [a, b]) {
      expect(await status(replica, token.token)).toEqual({ status: 401, code: 'token_revoked' });
      expect(await status(replica, rotated.token)).toEqual({ status: 200 });
      const refused = await inspect(replica, token.username, token.token);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/401|unauthorized/i);
      expect((await inspect(replica, token.username, rotated.token)).code).toBe(0);
    }
  });

  it('an overlap of 0 on A stops the old secret on B at its next request', async () => {
    const admin = await login(a);
    const token = await admin.createToken({ name: 'rotated now', permission: 'read-only' });
    for (let i = 0; i < 3; i++) expect((await status(b, token.token)).status).toBe(200);
    const res = await admin.post<RotatedToken>(`/api/v1/tokens/${token.id}/rotate`, { overlapSeconds: 0 });
    expect(res.status).toBe(200);
    // The NOTIFY reaches B once A's transaction commits, before or just after A answers: poll briefly.
    let refused = await status(b, token.token);
    for (let i = 0; i < 50 && refused.status === 200; i++) {
      await sleep(20);
      refused = await status(b, token.token);
    }
    expect(refused).toEqual({ status: 401, code: 'token_revoked' });
    expect(await status(b, res.body.token)).toEqual({ status: 200 });
  });
});
