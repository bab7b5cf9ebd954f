import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { RevokedToken, Token, TokenList } from '../../src/api/answers.js';

/** Exactly the dashboard's columns (plus id, revocation and environment); never a secret or its hash. */
const TOKEN_VIEW_KEYS = [
  'ci',
  'createdAt',
  'createdBy',
  'credentialHelper',
  'environment',
  'environmentId',
  'expiresAt',
  'expiringSoon',
  'id',
  'lastUsedAt',
  'lastUsedClient',
  'lastUsedIp',
  'name',
  'permission',
  'previousSecret',
  'revokedAt',
  'revokedBy',
  'scope',
  'status',
  'useCount',
  'username',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token lifecycle through HTTP', () => {
  let server: TestServer;
  let admin: ApiClient;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  const create = async (input: Parameters<ApiClient['createToken']>[0]) => {
    const created = await admin.createToken(input);
    secrets.push(created.token);
    return created;
  };
  const whoamiWith = (secret: string) => new ApiClient(server, secret).get<ApiErrorBody & { token: { id: string } }>('/api/v1/whoami');

  it('creates a read-only and a read-write token, each with its secret, username and snippets', async () => {
    const ro = await create({ name: 'CI pull', permission: 'read-only' });
    const rw = await create({ name: 'CI push', permission: 'read-write', expiresAt: null });
    for (const [token, permission] of [[ro, 'read-only'], [rw, 'read-write']] as const) {
      expect(token.permission).toBe(permission);
      expect(token.status).toBe('active');
      expect(token.createdBy).toBe('admin');
      expect(token.expiresAt).toBeNull();
      expect(token.token).toMatch(/^flyr_[0-9A-Za-z]{38}$/);
      expect(token.username).toMatch(/^ci-pu(ll|sh)-[a-z0-9]{6}$/);
      expect(token.snippets.dockerLogin).toContain(`--username ${token.username}`);
      expect(token.snippets.dockerLogin).toContain(token.token);
      expect(token.snippets.npmrc).toContain(`/artifactory/api/npm/npm/:_authToken=${token.token}`);
      expect(token.snippets.pipIndexUrl).toContain(`${token.username}:${token.token}@`);
      expect(token.snippets.pipIndexUrl).toContain('/artifactory/api/pypi/pypi/simple');
    }
    expect(ro.token).not.toBe(rw.token);
    expect(ro.username).not.toBe(rw.username);
    const who = await whoamiWith(rw.token);
    expect(who.status).toBe(200);
    expect(who.body.token.id).toBe(rw.id);
  });

  it('never returns the secret again: not in GET, not in the list, exact list columns', async () => {
    const created = await create({ name: 'shown once', permission: 'read-only' });
    const one = await admin.get<Token>(`/api/v1/tokens/${created.id}`);
    expect(one.status).toBe(200);
    expect(Object.keys(one.body).sort()).toEqual(TOKEN_VIEW_KEYS);
    expect(JSON.stringify(one.body)).not.toContain(created.token);

    const list = await admin.get<TokenList>('/api/v1/tokens');
    expect(list.status).toBe(200);
    const listed = list.body.tokens.find((t) => t.id === created.id);
    expect(listed).toEqual(one.body);
    for (const t of list.body.tokens) expect(Object.keys(t).sort()).toEqual(TOKEN_VIEW_KEYS);
    const text = JSON.stringify(list.body);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(listed).toMatchObject({
      name: 'shown once',
      username: created.username,
      permission: 'read-only',
      createdBy: 'admin',
      createdAt: created.createdAt,
      expiresAt: null,
      status: 'active',
      lastUsedAt: null,
      useCount: 0,
    });
  });

  it('records usage off the request path: last used at / ip / client and a count', async () => {
    const created = await create({ name: 'usage', permission: 'read-only' });
    for (let i = 0; i < 3; i++) {
      const res = await new ApiClient(server, created.token).request('GET', '/api/v1/whoami', undefined, { 'user-agent': 'usage-test/1.0' });
      expect(res.status).toBe(200);
    }
    let view: Token | undefined;
    for (let i = 0; i < 50 && view?.useCount !== 3; i++) {
      await sleep(100);
      view = (await admin.get<Token>(`/api/v1/tokens/${created.id}`)).body;
    }
    expect(view).toMatchObject({ useCount: 3, lastUsedIp: '127.0.0.1', lastUsedClient: 'usage-test/1.0' });
    expect(Date.parse(String(view?.lastUsedAt))).toBeGreaterThan(Date.parse(String(created.createdAt)) - 1);
  });

  it('moves active → expired with a short expiry, then refuses the token saying when it expired', async () => {
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const created = await create({ name: 'short lived', permission: 'read-write', expiresAt });
    expect(created.status).toBe('active');
    expect(created.expiresAt).toBe(expiresAt);
    expect((await whoamiWith(created.token)).status).toBe(200);
    await sleep(Date.parse(expiresAt) - Date.now() + 300);
    expect((await admin.get<Token>(`/api/v1/tokens/${created.id}`)).body.status).toBe('expired');
    const refused = await whoamiWith(created.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_expired');
    expect(refused.body.error.message).toBe(`Token expired at ${expiresAt}`);
    // Expired tokens may be deleted.
    expect((await admin.delete(`/api/v1/tokens/${created.id}`)).status).toBe(200);
  });

  it('moves active → revoked; the very next request with the token is refused, naming revocation', async () => {
    const created = await create({ name: 'to revoke', permission: 'read-write' });
    // Warm the auth cache so the revoke must drop it.
    expect((await whoamiWith(created.token)).status).toBe(200);
    const revoked = await admin.post<RevokedToken>(`/api/v1/tokens/${created.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.alreadyRevoked).toBe(false);
    expect(revoked.body.token).toMatchObject({ status: 'revoked', revokedBy: 'admin' });
    const refused = await whoamiWith(created.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_revoked');
    expect(refused.body.error.message).toMatch(/^Token was revoked at \d{4}-\d\d-\d\dT/);
    expect((await admin.get<Token>(`/api/v1/tokens/${created.id}`)).body.status).toBe('revoked');
  });

  it('revoking twice is a no-op that says it was already revoked', async () => {
    const created = await create({ name: 'revoke twice', permission: 'read-only' });
    const first = await admin.post<RevokedToken>(`/api/v1/tokens/${created.id}/revoke`);
    const second = await admin.post<RevokedToken>(`/api/v1/tokens/${created.id}/revoke`);
    expect(second.status).toBe(200);
    expect(second.body.alreadyRevoked).toBe(true);
    expect(second.body.message).toMatch(/already revoked/i);
    expect(second.body.token.revokedAt).toBe(first.body.token.revokedAt);
  });

  it('refuses to delete an active token (409: revoke first), deletes it once revoked', async () => {
    const created = await create({ name: 'to delete', permission: 'read-write' });
    const refused = await admin.delete<ApiErrorBody>(`/api/v1/tokens/${created.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('token_still_active');
    expect(refused.body.error.message).toMatch(/revoke/i);
    expect((await whoamiWith(created.token)).status).toBe(200);

    expect((await admin.post(`/api/v1/tokens/${created.id}/revoke`)).status).toBe(200);
    const deleted = await admin.delete(`/api/v1/tokens/${created.id}`);
    expect(deleted.status).toBe(200);
    expect((await admin.get(`/api/v1/tokens/${created.id}`)).status).toBe(404);
    const list = await admin.get<TokenList>('/api/v1/tokens');
    expect(list.body.tokens.map((t) => t.id)).not.toContain(created.id);
    const unknown = await whoamiWith(created.token);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('token_unknown');
  });

  it('answers 404 for tokens that do not exist', async () => {
    for (const res of [
      await admin.get<ApiErrorBody>('/api/v1/tokens/00000000-0000-0000-0000-000000000000'),
      await admin.post<ApiErrorBody>('/api/v1/tokens/nope/revoke'),
      await admin.delete<ApiErrorBody>('/api/v1/tokens/nope'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('never wrote a secret to the logs, even when a client puts one in a URL', async () => {
    const leaky = await create({ name: 'leaky client', permission: 'read-only' });
    expect((await admin.get(`/api/v1/whoami?token=${leaky.token}`)).status).toBe(200);
    expect((await admin.get(`/api/v1/${leaky.token}`)).status).toBe(404);
    expect((await new ApiClient(server).get(`/api/v1/tokens?password=${leaky.token}`)).status).toBe(401);
    const output = await server.settledOutput();
    expect(output).toContain('[REDACTED]');
    expect(output).toContain('"msg":"request"');
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/fly[rs]_[0-9A-Za-z]{8,}/);
    expect(output).not.toContain(admin.bearer);
  });
});
