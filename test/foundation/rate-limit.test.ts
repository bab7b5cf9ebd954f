import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, basicAuth, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

const LIMIT = 3;
const WINDOW_SECONDS = 3;

describe('repeated failed authentications from one address', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_AUTH_FAILURE_LIMIT: String(LIMIT), FLY_AUTH_FAILURE_WINDOW: String(WINDOW_SECONDS) } });
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  it('answer 429 with Retry-After once the limit is reached, then recover after the window', async () => {
    const token = await admin.createToken({ name: 'good', permission: 'read-only' });
    const anonymous = new ApiClient(server);
    const whoami = (headers: Record<string, string>) => anonymous.request<ApiErrorBody>('GET', '/api/v1/whoami', undefined, headers);

    // Successes do not count.
    for (let i = 0; i < LIMIT + 2; i++) expect((await whoami({ authorization: `Bearer ${token.token}` })).status).toBe(200);

    for (let i = 0; i < LIMIT; i++) expect((await whoami(basicAuth('wrong-user', token.token))).status).toBe(401);
    const limited = await whoami({ authorization: 'Bearer flyr_bogus' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(limited.body.error.message).toContain(`retry in ${retryAfter} s`);

    // While limited, even a good credential and a password login are refused.
    expect((await whoami({ authorization: `Bearer ${token.token}` })).status).toBe(429);
    const loginRes = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', server.admin);
    expect(loginRes.status).toBe(429);
    expect(loginRes.headers.get('retry-after')).not.toBeNull();

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    expect((await whoami({ authorization: `Bearer ${token.token}` })).status).toBe(200);
  });

  it('counts failed password logins too', async () => {
    const anonymous = new ApiClient(server);
    for (let i = 0; i < LIMIT; i++) {
      expect((await anonymous.post('/api/v1/auth/login', { username: 'admin', password: 'wrong-password' })).status).toBe(401);
    }
    const limited = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', server.admin);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
