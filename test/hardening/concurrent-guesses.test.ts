import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

const LIMIT = 5;
const PARALLEL = 40;

/** Password guesses fired all at once: the limiter must count them before scrypt verifies any. */
describe('concurrent password guesses respect the failure limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Addresses come from X-Forwarded-For, so one test can guess from many addresses.
    server = await startServer({ env: { FLY_AUTH_FAILURE_LIMIT: String(LIMIT), FLY_AUTH_FAILURE_WINDOW: '600', FLY_TRUST_PROXY: 'true' } });
  });
  afterAll(() => server?.stop());

  const statuses = (requests: Promise<Response>[]) => Promise.all(requests.map(async (r) => (await r).status));
  const count = (list: number[], status: number) => list.filter((s) => s === status).length;

  it('a web login burst from one address verifies at most the limit', async () => {
    const burst = await statuses(
      Array.from({ length: PARALLEL }, (_, i) =>
        fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1' },
          body: JSON.stringify({ username: `guess-${i}`, password: `wrong-${i}` }),
        }),
      ),
    );
    expect(count(burst, 401)).toBeLessThanOrEqual(LIMIT);
    expect(count(burst, 429)).toBeGreaterThanOrEqual(PARALLEL - LIMIT);
    expect(count(burst, 401) + count(burst, 429)).toBe(PARALLEL);
  });

  it('guesses at one account from many addresses are limited per account, then even the right password is refused', async () => {
    const guesses = Array.from({ length: PARALLEL }, (_, i) =>
      fetch(`${server.url}/npm/-/user/org.couchdb.user:${server.admin.username}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({ name: server.admin.username, password: `wrong-${i}` }),
      }),
    );
    const burst = await statuses(guesses);
    expect(count(burst, 401)).toBeLessThanOrEqual(LIMIT);
    expect(count(burst, 201)).toBe(0);
    // From a fresh address, the account is still locked for this window.
    const fresh = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
      body: JSON.stringify({ username: server.admin.username, password: server.admin.password }),
    });
    expect(fresh.status).toBe(429);
  });
});
