import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface LoginAnswer {
  user: { username: string; role: string };
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

describe('sessions: login, cookies, CSRF, logout', () => {
  let server: TestServer;
  let anonymous: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    anonymous = new ApiClient(server);
  });
  afterAll(() => server?.stop());

  const loginWithCookie = async () => {
    const res = await anonymous.post<LoginAnswer>('/api/v1/auth/login', server.admin);
    expect(res.status).toBe(200);
    return res;
  };

  it('login answers the user, a session token and an HttpOnly SameSite cookie', async () => {
    const res = await loginWithCookie();
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(res.body.sessionToken).toMatch(/^flys_[0-9A-Za-z]{38}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`fly_session=${res.body.sessionToken}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', { username: 'admin', password: 'not-the-password' });
    const unknown = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', { username: 'ghost', password: 'not-the-password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'invalid_credentials', message: 'Invalid username or password' });
    }
  });

  it('a cookie-authenticated write without X-CSRF-Token is refused; with it, it succeeds', async () => {
    const { body } = await loginWithCookie();
    const cookie = { cookie: `fly_session=${body.sessionToken}` };
    const tokenInput = { name: 'from the browser', permission: 'read-only', expiresAt: null };

    // Reads need no CSRF header, and whoami hands the page its CSRF token.
    const who = await anonymous.request<{ user: { username: string }; csrfToken: string }>('GET', '/api/v1/whoami', undefined, cookie);
    expect(who.status).toBe(200);
    expect(who.body.csrfToken).toBe(body.csrfToken);

    const before = (await anonymous.request<{ tokens: unknown[] }>('GET', '/api/v1/tokens', undefined, cookie)).body.tokens.length;
    for (const headers of [cookie, { ...cookie, 'x-csrf-token': 'forged' }]) {
      const refused = await anonymous.request<ApiErrorBody>('POST', '/api/v1/tokens', tokenInput, headers);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('csrf_required');
      expect(refused.body.error.message).toMatch(/X-CSRF-Token/);
    }
    expect((await anonymous.request<{ tokens: unknown[] }>('GET', '/api/v1/tokens', undefined, cookie)).body.tokens.length).toBe(before);

    const accepted = await anonymous.request<{ id: string }>('POST', '/api/v1/tokens', tokenInput, { ...cookie, 'x-csrf-token': body.csrfToken });
    expect(accepted.status).toBe(201);
    const revoke = await anonymous.request<ApiErrorBody>('POST', `/api/v1/tokens/${accepted.body.id}/revoke`, undefined, cookie);
    expect(revoke.status).toBe(403);

    // Another session's CSRF token does not fit this session.
    const other = await loginWithCookie();
    const crossed = await anonymous.request('POST', '/api/v1/tokens', tokenInput, { ...cookie, 'x-csrf-token': other.body.csrfToken });
    expect(crossed.status).toBe(403);

    // A Bearer session (a script, the CLI) needs no CSRF header.
    expect((await new ApiClient(server, body.sessionToken).post('/api/v1/tokens', tokenInput)).status).toBe(201);
  });

  it('logout revokes the session: Bearer and cookie both stop working', async () => {
    const { body } = await loginWithCookie();
    const bearer = new ApiClient(server, body.sessionToken);
    expect((await bearer.get('/api/v1/whoami')).status).toBe(200);
    const out = await bearer.post<{ loggedOut: boolean }>('/api/v1/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body.loggedOut).toBe(true);
    const after = await bearer.get<ApiErrorBody>('/api/v1/whoami');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('session_invalid');
    const viaCookie = await anonymous.request<ApiErrorBody>('GET', '/api/v1/whoami', undefined, { cookie: `fly_session=${body.sessionToken}` });
    expect(viaCookie.status).toBe(401);
  });

  it('logout through the cookie needs the CSRF header too, and clears the cookie', async () => {
    const { body } = await loginWithCookie();
    const cookie = { cookie: `fly_session=${body.sessionToken}` };
    expect((await anonymous.request('POST', '/api/v1/auth/logout', undefined, cookie)).status).toBe(403);
    const out = await anonymous.request('POST', '/api/v1/auth/logout', undefined, { ...cookie, 'x-csrf-token': body.csrfToken });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/fly_session=;/);
    expect((await anonymous.request('GET', '/api/v1/whoami', undefined, cookie)).status).toBe(401);
  });

  it('other sessions of the same user survive a logout', async () => {
    const first = await login(server);
    const second = await login(server);
    await first.post('/api/v1/auth/logout');
    expect((await first.get('/api/v1/whoami')).status).toBe(401);
    expect((await second.get('/api/v1/whoami')).status).toBe(200);
  });

  it('never wrote a session token or password to the logs', async () => {
    const output = await server.settledOutput();
    expect(output).not.toMatch(/fly[rsi]_[0-9A-Za-z]{8,}/);
    expect(output).not.toContain(server.admin.password);
  });
});
