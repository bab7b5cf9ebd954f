import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, basicAuth, login, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Whoami {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: string };
  token: { id: string; username: string; permission: string } | null;
  permission: string;
  can: { pull: boolean; push: boolean; delete: boolean; manageTokens: boolean; manageUsers: boolean };
}

describe('authenticating with registry tokens', () => {
  let server: TestServer;
  let admin: ApiClient;
  let readOnly: CreatedToken;
  let readWrite: CreatedToken;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    readOnly = await admin.createToken({ name: 'reader', permission: 'read-only' });
    readWrite = await admin.createToken({ name: 'writer', permission: 'read-write' });
  });
  afterAll(() => server?.stop());

  const whoami = (headers: Record<string, string>) => new ApiClient(server).request<Whoami & ApiErrorBody>('GET', '/api/v1/whoami', undefined, headers);

  it('whoami answers a session with the user and full rights', async () => {
    const res = await admin.get<Whoami>('/api/v1/whoami');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'user',
      user: { username: 'admin', role: 'admin' },
      token: null,
      permission: 'read-write',
      can: { pull: true, push: true, delete: true, manageTokens: true, manageUsers: true },
    });
  });

  it('whoami answers a read-only token: may pull only, may manage nothing', async () => {
    const res = await whoami({ authorization: `Bearer ${readOnly.token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'token',
      user: { username: 'admin' },
      token: { id: readOnly.id, username: readOnly.username, permission: 'read-only' },
      permission: 'read-only',
      can: { pull: true, push: false, delete: false, manageTokens: false, manageUsers: false },
    });
  });

  it('whoami answers a read-write token: may pull, push and delete, may manage nothing', async () => {
    const res = await whoami({ authorization: `Bearer ${readWrite.token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'token',
      permission: 'read-write',
      can: { pull: true, push: true, delete: true, manageTokens: false, manageUsers: false },
    });
  });

  it('Basic auth accepts the token username, the creator username and __token__', async () => {
    for (const username of [readWrite.username, 'admin', '__token__']) {
      const res = await whoami(basicAuth(username, readWrite.token));
      expect(res.status, username).toBe(200);
      expect(res.body.token?.id).toBe(readWrite.id);
    }
  });

  it('Basic auth with any other username is refused with a precise error', async () => {
    for (const username of ['someone-else', readOnly.username, '']) {
      const res = await whoami(basicAuth(username, readWrite.token));
      expect(res.status, username).toBe(401);
      expect(res.body.error.code).toBe('token_username_mismatch');
      expect(res.body.error.message).toMatch(/wrong username for this token/i);
    }
  });

  it('unknown, mistyped and missing credentials get precise errors', async () => {
    // Well-formed checksum but never issued: a lookup says unknown.
    const typo = readWrite.token.slice(0, 10) + (readWrite.token[10] === 'a' ? 'b' : 'a') + readWrite.token.slice(11);
    for (const headers of [{ authorization: `Bearer ${typo}` }, { authorization: 'Bearer flyr_nonsense' }]) {
      const res = await whoami(headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('token_unknown');
      expect(res.body.error.message).toMatch(/unknown token/i);
    }
    // Not shaped like a token at all: most likely the account password, so the answer says what to use instead.
    const password = await whoami(basicAuth('__token__', 'hunter2'));
    expect(password.status).toBe(401);
    expect(password.body.error.code).toBe('token_unknown');
    expect(password.body.error.message).toMatch(/not your account password/i);
    const none = await whoami({});
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    const badSession = await whoami({ authorization: 'Bearer flys_0000000000000000000000000000000000000' });
    expect(badSession.status).toBe(401);
    expect(badSession.body.error.code).toBe('session_invalid');
  });

  it('registry tokens cannot manage tokens or users, whatever their permission', async () => {
    for (const token of [readOnly, readWrite]) {
      const client = new ApiClient(server, token.token);
      const attempts = [
        await client.get<ApiErrorBody>('/api/v1/tokens'),
        await client.get<ApiErrorBody>(`/api/v1/tokens/${token.id}`),
        await client.post<ApiErrorBody>('/api/v1/tokens', { name: 'escalate', permission: 'read-write', expiresAt: null }),
        await client.post<ApiErrorBody>(`/api/v1/tokens/${readOnly.id}/revoke`),
        await client.delete<ApiErrorBody>(`/api/v1/tokens/${readOnly.id}`),
        await client.get<ApiErrorBody>('/api/v1/users'),
        await client.post<ApiErrorBody>('/api/v1/users', { username: 'mallory', email: 'm@example.com', role: 'admin' }),
        await client.get<ApiErrorBody>('/api/v1/audit'),
        await client.post<ApiErrorBody>('/api/v1/auth/logout'),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    // Nothing changed: the read-only token is still active and no user was invited.
    expect((await admin.get<{ status: string }>(`/api/v1/tokens/${readOnly.id}`)).body.status).toBe('active');
    const users = await admin.get<{ users: { username: string }[] }>('/api/v1/users');
    expect(users.body.users.map((u) => u.username)).toEqual(['admin']);
  });
});
