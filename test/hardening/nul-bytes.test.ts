import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, basicAuth, login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * A NUL byte anywhere a client can put text: PostgreSQL cannot store it and answered 500 on nine endpoints;
 * both engines must answer 400 (or 404), in each protocol's own format, and log no unhandled error.
 */
describe('NUL bytes in parameters and bodies', () => {
  let server: TestServer;
  let token: string;
  let tokenUser: string;

  beforeAll(async () => {
    server = await startServer();
    const admin = await login(server);
    const created = await admin.createToken({ name: 'nul', permission: 'read-write' });
    token = created.token;
    tokenUser = created.username;
  });
  afterAll(() => server?.stop());

  const bearer = () => ({ authorization: `Bearer ${token}` });

  it.each([
    ['POST', '/api/v1/auth/login', JSON.stringify({ username: '\u0000', password: 'x' }), {}],
    ['POST', '/api/v1/auth/login', JSON.stringify({ username: 'a\u0000b', password: 'x' }), {}],
    ['GET', '/api/v1/tokens/%00', undefined, 'bearer'],
    ['GET', '/api/v1/releases?name=%00', undefined, 'bearer'],
    ['GET', '/api/v1/environments/%00/deployments?repository=%00', undefined, 'bearer'],
    ['GET', '/api/v1/users/a%00', undefined, 'bearer'],
    ['GET', '/pypi/simple/%00/', undefined, 'basic'],
    ['GET', '/pypi/packages/%00/x%00.whl', undefined, 'basic'],
    ['GET', '/pypi/pypi/a%00/json', undefined, 'basic'],
    ['DELETE', '/npm/-/npm/v1/tokens/token/%00', undefined, 'bearer'],
    ['PUT', '/npm/-/user/org.couchdb.user:a', JSON.stringify({ name: 'a\u0000', password: 'x' }), {}],
    ['GET', '/npm/a%00', undefined, 'bearer'],
    ['GET', '/v2/library/x/referrers/sha256:' + '0'.repeat(64) + '?artifactType=%00', undefined, 'basic'],
    ['GET', '/v2/x%00/tags/list', undefined, 'basic'],
    ['GET', '/v2/x/manifests/a%00', undefined, 'basic'],
  ] as const)('%s %s → 400/404', async (method, path, body, auth) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth === 'bearer') Object.assign(headers, bearer());
    if (auth === 'basic') Object.assign(headers, basicAuth(tokenUser, token));
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    expect([400, 404]).toContain(res.status);
  });

  it('logged no unhandled error', async () => {
    const log = await server.settledOutput();
    expect(log).not.toMatch(/unhandled error|invalid byte sequence/);
    expect(log).not.toContain('"level":50');
  });

  it('the API answers in its own format', async () => {
    const res = await new ApiClient(server).post<{ error: { code: string } }>('/api/v1/auth/login', { username: '\u0000', password: 'x' });
    expect(res.body.error.code).toBe('validation');
  });
});
