import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Issue = { path: string; message: string };
type ValidationError = ApiErrorBody & { error: { details?: { issues?: Issue[] } } };

describe('malformed and absurd input → 400 with a clear message', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  const createToken = (body: unknown) => admin.post<ValidationError>('/api/v1/tokens', body);
  const expectInvalid = (res: { status: number; body: ValidationError }, message: string | RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    if (typeof message === 'string') expect(res.body.error.message).toContain(message);
    else expect(res.body.error.message).toMatch(message);
  };
  const tokenCount = async () => (await admin.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length;

  it('malformed JSON', async () => {
    for (const body of ['{"name": "ci", ', 'not json', '{"name":"x"}}']) {
      const res = await admin.request<ValidationError>('POST', '/api/v1/tokens', body);
      expectInvalid(res, 'Request body is not valid JSON');
    }
  });

  it('a body that is not an object, or missing', async () => {
    expectInvalid(await createToken([]), 'Request body is invalid');
    expectInvalid(await createToken('"just a string"'), 'Request body is invalid');
    expectInvalid(await admin.request<ValidationError>('POST', '/api/v1/tokens'), 'Request body is invalid');
    expectInvalid(await admin.request<ValidationError>('POST', '/api/v1/tokens', ''), 'Request body is empty');
  });

  it('unknown fields are named', async () => {
    // (`scope` is a real field now, fine-grained scopes: `scopes` is not.)
    const res = await createToken({ name: 'ci', permission: 'read-only', expiresAt: null, admin: true, scopes: 'all' });
    expectInvalid(res, 'unknown field(s): admin, scopes');
    expect(res.body.error.details?.issues).toEqual([{ path: '(root)', message: 'unknown field(s): admin, scopes' }]);
  });

  it('missing fields are named', async () => {
    const res = await createToken({});
    expectInvalid(res, /name: .*permission: .*expiresAt: /);
    expect(res.body.error.details?.issues?.map((i) => i.path)).toEqual(['name', 'permission', 'expiresAt']);
  });

  it('absurd names: empty, blank, 10 kB, control characters, not a string', async () => {
    const cases: [unknown, string][] = [
      ['', 'name: must not be empty'],
      ['    ', 'name: must not be empty'],
      ['x'.repeat(10_240), 'name: must be at most 100 characters'],
      ['line\nbreak', 'name: must not contain control characters'],
      ['nul\u0000byte', 'name: must not contain control characters'],
      ['bell\u0007', 'name: must not contain control characters'],
      ['del\u007f', 'name: must not contain control characters'],
      [42, 'name: '],
      [null, 'name: '],
    ];
    for (const [name, message] of cases) {
      const res = await createToken({ name, permission: 'read-only', expiresAt: null });
      expectInvalid(res, message);
      // A 10 kB name must not be echoed back in full.
      expect(JSON.stringify(res.body).length).toBeLessThan(2000);
    }
  });

  it('a bad permission', async () => {
    for (const permission of ['admin', 'READ-ONLY', '', null, ['read-only']]) {
      expectInvalid(await createToken({ name: 'ci', permission, expiresAt: null }), 'permission: must be "read-only" or "read-write"');
    }
  });

  it('a bad or past expiresAt', async () => {
    for (const expiresAt of ['tomorrow', '2030-13-01T00:00:00Z', 1767225600000, '']) {
      expectInvalid(await createToken({ name: 'ci', permission: 'read-only', expiresAt }), 'expiresAt: must be an ISO-8601 date-time or null');
    }
    const past = await createToken({ name: 'ci', permission: 'read-only', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expectInvalid(past, 'expiresAt must be in the future');
    const now = await createToken({ name: 'ci', permission: 'read-only', expiresAt: new Date(Date.now() - 1).toISOString() });
    expectInvalid(now, 'expiresAt must be in the future');
    expect((await admin.createToken({ name: 'offset', permission: 'read-only', expiresAt: '2999-01-01T00:00:00+02:00' })).expiresAt).toBe(
      '2998-12-31T22:00:00.000Z',
    );
  });

  it('accepts unicode names and trims them; none of the refused requests created a token', async () => {
    const before = await tokenCount();
    const created = await admin.createToken({ name: '  déploiement 🚀  ', permission: 'read-only' });
    expect(created.name).toBe('déploiement 🚀');
    expect(created.username).toMatch(/^d-ploiement-[a-z0-9]{6}$/);
    const symbols = await admin.createToken({ name: '🚀🚀', permission: 'read-only' });
    expect(symbols.username).toMatch(/^token-[a-z0-9]{6}$/);
    expect(await tokenCount()).toBe(before + 2);
    // Only the two above and the one with an offset expiry exist.
    expect(before).toBe(1);
  });

  it('absurd user invitations and logins', async () => {
    const invite = (body: unknown) => admin.post<ValidationError>('/api/v1/users', body);
    expectInvalid(await invite({ username: 'Bad Name', email: 'a@example.com', role: 'developer' }), 'username: must use lowercase letters');
    expectInvalid(await invite({ username: 'x'.repeat(10_240), email: 'a@example.com', role: 'developer' }), 'username: must be at most 64 characters');
    expectInvalid(await invite({ username: 'ok', email: 'not-an-email', role: 'developer' }), 'email: must be a valid email address');
    expectInvalid(await invite({ username: 'ok', email: 'a@example.com', role: 'developer', isAdmin: true }), 'unknown field(s): isAdmin');
    expectInvalid(await admin.post<ValidationError>('/api/v1/auth/login', { username: 'admin' }), 'password: ');
    expectInvalid(await admin.post<ValidationError>('/api/v1/auth/login', { username: 'admin', password: 'x'.repeat(10_240) }), 'password: ');
  });

  it('a body over the size limit → 413; a non-JSON content type → 415', async () => {
    const huge = await admin.request<ApiErrorBody>('POST', '/api/v1/tokens', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const text = await admin.request<ApiErrorBody>('POST', '/api/v1/tokens', 'name=ci', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(415);
  });

  it('unknown endpoints answer 404 in the API error format', async () => {
    const res = await admin.get<ApiErrorBody>('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
