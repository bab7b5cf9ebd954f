import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, type ApiClient, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Token } from '../../src/api/answers.js';

describe('roles: admin and developer, both ways', () => {
  let server: TestServer;
  let admin: ApiClient;
  let dev: ApiClient;
  let otherDev: ApiClient;
  let adminToken: CreatedToken;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    dev = await createUser(admin, 'dana');
    otherDev = await createUser(admin, 'oscar');
    adminToken = await admin.createToken({ name: 'admin deploy', permission: 'read-write' });
  });
  afterAll(() => server?.stop());

  it('a developer creates tokens and sees the whole team list', async () => {
    const mine = await dev.createToken({ name: 'dana laptop', permission: 'read-only' });
    expect(mine.createdBy).toBe('dana');
    const list = await dev.get<{ tokens: Token[] }>('/api/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.tokens.map((t) => t.id)).toEqual(expect.arrayContaining([mine.id, adminToken.id]));
    expect((await dev.get(`/api/v1/tokens/${adminToken.id}`)).status).toBe(200);
  });

  it("a developer can neither revoke nor delete the admin's token (403), and it stays active", async () => {
    const revoke = await dev.post<ApiErrorBody>(`/api/v1/tokens/${adminToken.id}/revoke`);
    expect(revoke.status).toBe(403);
    expect(revoke.body.error.code).toBe('forbidden');
    expect(revoke.body.error.message).toMatch(/only revoke or delete tokens they created/);
    const del = await dev.delete<ApiErrorBody>(`/api/v1/tokens/${adminToken.id}`);
    expect(del.status).toBe(403);
    expect((await admin.get<Token>(`/api/v1/tokens/${adminToken.id}`)).body.status).toBe('active');
  });

  it("a developer cannot revoke another developer's token either, but can revoke and delete their own", async () => {
    const oscars = await otherDev.createToken({ name: 'oscar ci', permission: 'read-write' });
    expect((await dev.post(`/api/v1/tokens/${oscars.id}/revoke`)).status).toBe(403);
    const own = await dev.createToken({ name: 'dana ci', permission: 'read-write' });
    const revoked = await dev.post<{ token: Token }>(`/api/v1/tokens/${own.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token).toMatchObject({ status: 'revoked', revokedBy: 'dana' });
    expect((await dev.delete(`/api/v1/tokens/${own.id}`)).status).toBe(200);
  });

  it("an admin revokes and deletes a developer's token", async () => {
    const devToken = await dev.createToken({ name: 'dana deploy', permission: 'read-write' });
    const revoked = await admin.post<{ token: Token }>(`/api/v1/tokens/${devToken.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token).toMatchObject({ status: 'revoked', createdBy: 'dana', revokedBy: 'admin' });
    expect((await admin.delete(`/api/v1/tokens/${devToken.id}`)).status).toBe(200);
  });

  it('a developer cannot see or manage the team or read the audit log', async () => {
    for (const res of [
      await dev.get<ApiErrorBody>('/api/v1/users'),
      await dev.post<ApiErrorBody>('/api/v1/users', { username: 'eve', email: 'eve@example.com', role: 'admin' }),
      await dev.get<ApiErrorBody>('/api/v1/audit'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toMatch(/only admins/i);
    }
    const self = await dev.get<{ user: { id: string } }>('/api/v1/whoami');
    const oscar = await otherDev.get<{ user: { id: string } }>('/api/v1/whoami');
    expect((await dev.get(`/api/v1/users/${self.body.user.id}`)).status).toBe(200);
    expect((await dev.get(`/api/v1/users/${oscar.body.user.id}`)).status).toBe(403);
    const promote = await dev.patch<ApiErrorBody>(`/api/v1/users/${self.body.user.id}`, { role: 'admin' });
    expect(promote.status).toBe(403);
    expect((await dev.get<{ user: { role: string } }>('/api/v1/whoami')).body.user.role).toBe('developer');
  });

  it('promoting a developer to admin takes effect on their next request; demoting takes it away', async () => {
    const oscarId = (await otherDev.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
    const promoted = await admin.patch<{ role: string }>(`/api/v1/users/${oscarId}`, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('admin');
    const danasToken = await dev.createToken({ name: 'dana later', permission: 'read-only' });
    expect((await otherDev.post(`/api/v1/tokens/${danasToken.id}/revoke`)).status).toBe(200);
    expect((await otherDev.get('/api/v1/users')).status).toBe(200);

    expect((await admin.patch(`/api/v1/users/${oscarId}`, { role: 'developer' })).status).toBe(200);
    expect((await otherDev.get('/api/v1/users')).status).toBe(403);
    expect((await otherDev.post(`/api/v1/tokens/${adminToken.id}/revoke`)).status).toBe(403);
  });
});
