import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('a restart keeps everything', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await servers[0]?.database.drop();
  });

  it('users, sessions, tokens (active and revoked), usage and the audit log survive a restart', async () => {
    const first = await startServer();
    servers.push(first);
    const admin = await login(first);
    const dev = await createUser(admin, 'rita');
    const kept = await dev.createToken({ name: 'kept', permission: 'read-write' });
    const revoked = await admin.createToken({ name: 'revoked', permission: 'read-only' });
    await admin.post(`/api/v1/tokens/${revoked.id}/revoke`);
    expect((await new ApiClient(first, kept.token).get('/api/v1/whoami')).status).toBe(200);
    const auditBefore = (await admin.get<{ events: { id: number }[] }>('/api/v1/audit?limit=500')).body.events;
    await first.kill(); // graceful: pending usage stamps are flushed on shutdown

    const second = await startServer({ database: first.database });
    servers.push(second);
    expect(second.port).not.toBe(0);
    // The first admin is not re-created: the same password still works, and old sessions too.
    const sameAdmin = new ApiClient(second, admin.bearer);
    expect((await sameAdmin.get<{ user: { username: string } }>('/api/v1/whoami')).body.user.username).toBe('admin');
    await login(second);

    const token = await new ApiClient(second, kept.token).get<{ token: { id: string } }>('/api/v1/whoami');
    expect(token.status).toBe(200);
    expect(token.body.token.id).toBe(kept.id);
    const refused = await new ApiClient(second, revoked.token).get<ApiErrorBody>('/api/v1/whoami');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_revoked');

    const keptView = await sameAdmin.get<{ createdBy: string; useCount: number; status: string }>(`/api/v1/tokens/${kept.id}`);
    expect(keptView.body).toMatchObject({ createdBy: 'rita', status: 'active' });
    expect(keptView.body.useCount).toBeGreaterThanOrEqual(1);
    const users = await sameAdmin.get<{ users: { username: string }[] }>('/api/v1/users');
    expect(users.body.users.map((u) => u.username)).toEqual(['admin', 'rita']);
    const auditAfter = (await sameAdmin.get<{ events: { id: number }[] }>('/api/v1/audit?limit=500')).body.events;
    expect(auditAfter.slice(-auditBefore.length)).toEqual(auditBefore);
    expect(second.output()).not.toContain('Created the first admin');
  });
});
