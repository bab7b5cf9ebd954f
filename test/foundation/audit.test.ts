import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { AuditEvent, AuditPage } from '../../src/api/answers.js';

describe('the audit log', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  const allEvents = async (): Promise<AuditEvent[]> => (await admin.get<AuditPage>('/api/v1/audit?limit=500')).body.events;

  it('records every token, user and login action, newest first, with actor, target and address', async () => {
    const since = Math.max(0, ...(await allEvents()).map((e) => e.id));
    const token = await admin.createToken({ name: 'audited', permission: 'read-write' });
    await admin.post(`/api/v1/tokens/${token.id}/revoke`);
    await admin.post(`/api/v1/tokens/${token.id}/revoke`); // a no-op: must not be recorded twice
    await admin.delete(`/api/v1/tokens/${token.id}`);
    const dev = await createUser(admin, 'audrey');
    const devId = (await dev.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
    expect((await dev.post('/api/v1/auth/logout')).status).toBe(200);
    await admin.patch(`/api/v1/users/${devId}`, { role: 'admin' });
    await admin.patch(`/api/v1/users/${devId}`, { status: 'deactivated' });
    await new ApiClient(server).post('/api/v1/auth/login', { username: 'admin', password: 'wrong-password' });

    const events = (await allEvents()).filter((e) => e.id > since);
    expect(events.map((e) => e.action)).toEqual([
      'login.failed',
      'user.deactivated',
      'user.role_changed',
      'logout',
      'login.succeeded',
      'user.activated',
      'user.invited',
      'token.deleted',
      'token.revoked',
      'token.created',
    ]);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byAction = Object.fromEntries(events.map((e) => [e.action, e]));
    expect(byAction['token.created']).toMatchObject({
      actor: 'admin',
      target: { type: 'token', id: token.id, name: 'audited' },
      ip: '127.0.0.1',
      details: { username: token.username, permission: 'read-write', expiresAt: null },
    });
    expect(byAction['token.revoked']).toMatchObject({ actor: 'admin', target: { id: token.id } });
    expect(byAction['token.deleted']).toMatchObject({ target: { id: token.id }, details: { status: 'revoked' } });
    expect(byAction['user.invited']).toMatchObject({ actor: 'admin', target: { type: 'user', id: devId, name: 'audrey' }, details: { role: 'developer' } });
    expect(byAction['user.activated']).toMatchObject({ actor: 'audrey', target: { id: devId } });
    expect(byAction['user.role_changed']).toMatchObject({ target: { id: devId }, details: { from: 'developer', to: 'admin' } });
    expect(byAction['user.deactivated']).toMatchObject({ actor: 'admin', target: { id: devId } });
    expect(byAction['login.succeeded']).toMatchObject({ actor: 'audrey' });
    expect(byAction.logout).toMatchObject({ actor: 'audrey', target: { id: devId } });
    expect(byAction['login.failed']).toMatchObject({ actor: 'admin', details: { reason: 'invalid_credentials' } });
    for (const e of events) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    // The audit log never holds a secret.
    expect(JSON.stringify(events)).not.toMatch(/fly[rsi]_[0-9A-Za-z]{8,}/);
  });

  it('paginates with limit and before, without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) await admin.createToken({ name: `page ${i}`, permission: 'read-only' });
    const everything = await allEvents();
    expect(everything.length).toBeGreaterThan(7);

    const seen: number[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const query: string = before === null ? '?limit=3' : `?limit=3&before=${before}`;
      const page = await admin.get<AuditPage>(`/api/v1/audit${query}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.events.map((e) => e.id));
      before = page.body.nextBefore;
      if (before === null) break;
    }
    expect(seen).toEqual(everything.map((e) => e.id));
    const firstPage = await admin.get<AuditPage>('/api/v1/audit?limit=2');
    expect(firstPage.body.events.map((e) => e.action)).toEqual(['token.created', 'token.created']);
    expect(firstPage.body.events[0]?.target.name).toBe('page 4');
  });

  it('refuses bad paging parameters and non-admins', async () => {
    for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?before=-1', '?foo=1']) {
      const res = await admin.get<ApiErrorBody>(`/api/v1/audit${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    const dev = await createUser(admin, 'dev-reader');
    expect((await dev.get('/api/v1/audit')).status).toBe(403);
  });
});
