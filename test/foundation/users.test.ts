import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, basicAuth, createUser, login, type ApiErrorBody } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { AuditPage, Invitation, User } from '../../src/api/answers.js';

describe('users: invitations, roles and deactivation', () => {
  let server: TestServer;
  let admin: ApiClient;
  let anonymous: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    anonymous = new ApiClient(server);
  });
  afterAll(() => server?.stop());

  it('invites a user with a one-time link; accepting sets the password; a second accept fails', async () => {
    const invite = await admin.post<Invitation>('/api/v1/users', { username: 'ivy', email: 'ivy@example.com', role: 'developer' });
    expect(invite.status).toBe(201);
    expect(invite.body.user).toMatchObject({ username: 'ivy', email: 'ivy@example.com', role: 'developer', status: 'invited' });
    expect(invite.body.invitationToken).toMatch(/^flyi_/);
    expect(invite.body.invitationUrl).toBe(`http://localhost:${server.port}/invite/${invite.body.invitationToken}`);

    // Invited but not yet accepted: no password, no login.
    const early = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', { username: 'ivy', password: 'anything-at-all' });
    expect(early.status).toBe(401);

    const preview = await anonymous.get<{ username: string; email: string }>(`/api/v1/invitations/${invite.body.invitationToken}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ username: 'ivy', email: 'ivy@example.com' });

    const accept = await anonymous.post<{ user: User }>('/api/v1/invitations/accept', { token: invite.body.invitationToken, password: 'ivy-password-123' });
    expect(accept.status).toBe(200);
    expect(accept.body.user).toMatchObject({ username: 'ivy', status: 'active' });

    const again = await anonymous.post<ApiErrorBody>('/api/v1/invitations/accept', { token: invite.body.invitationToken, password: 'other-password-456' });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/invalid, expired or already used/);
    expect((await anonymous.get(`/api/v1/invitations/${invite.body.invitationToken}`)).status).toBe(404);

    // The first password holds; the second never took.
    const ivy = await login(server, 'ivy', 'ivy-password-123');
    expect((await ivy.get<{ user: User }>('/api/v1/whoami')).body.user).toMatchObject({ username: 'ivy', role: 'developer' });
    expect((await anonymous.post('/api/v1/auth/login', { username: 'ivy', password: 'other-password-456' })).status).toBe(401);

    const list = await admin.get<{ users: User[] }>('/api/v1/users');
    expect(list.body.users.map((u) => [u.username, u.status])).toEqual([
      ['admin', 'active'],
      ['ivy', 'active'],
    ]);
  });

  it('refuses a duplicate username, a bad role and a short password', async () => {
    const dup = await admin.post<ApiErrorBody>('/api/v1/users', { username: 'admin', email: 'a@example.com', role: 'developer' });
    expect(dup.status).toBe(409);
    const role = await admin.post<ApiErrorBody>('/api/v1/users', { username: 'rex', email: 'rex@example.com', role: 'root' });
    expect(role.status).toBe(400);
    expect(role.body.error.message).toContain('role: must be "admin" or "developer"');
    const invite = await admin.post<Invitation>('/api/v1/users', { username: 'sam', email: 'sam@example.com', role: 'developer' });
    const short = await anonymous.post<ApiErrorBody>('/api/v1/invitations/accept', { token: invite.body.invitationToken, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('password: must be at least 12 characters');
    const bogus = await anonymous.post<ApiErrorBody>('/api/v1/invitations/accept', { token: 'flyi_not-a-real-one', password: 'long-enough-password' });
    expect(bogus.status).toBe(404);
  });

  it('deactivating a user ends their sessions, refuses their login and revokes their tokens for good', async () => {
    const dev = await createUser(admin, 'dave');
    const devId = (await dev.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
    const token = await dev.createToken({ name: 'dave ci', permission: 'read-write' });
    const tokenClient = new ApiClient(server, token.token);
    expect((await tokenClient.get('/api/v1/whoami')).status).toBe(200);

    const deactivated = await admin.patch<User>(`/api/v1/users/${devId}`, { status: 'deactivated' });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.status).toBe('deactivated');

    const session = await dev.get<ApiErrorBody>('/api/v1/whoami');
    expect(session.status).toBe(401);
    expect(session.body.error.code).toBe('session_invalid');
    const relogin = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', { username: 'dave', password: 'pw-dave-0123456789' });
    // Answered exactly like a wrong password, so the refusal does not confirm the password.
    const wrong = await anonymous.post<ApiErrorBody>('/api/v1/auth/login', { username: 'dave', password: 'not-the-password' });
    expect(relogin.status).toBe(401);
    expect(relogin.body).toEqual(wrong.body);
    for (const headers of [{ authorization: `Bearer ${token.token}` }, basicAuth(token.username, token.token)]) {
      const res = await anonymous.request<ApiErrorBody>('GET', '/api/v1/whoami', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('token_revoked');
    }
    // Revoked, by the admin who deactivated the account, with an audit entry saying why.
    expect((await admin.get<{ status: string; revokedBy: string }>(`/api/v1/tokens/${token.id}`)).body).toMatchObject({ status: 'revoked', revokedBy: 'admin' });
    const audit = await admin.get<AuditPage>('/api/v1/audit?limit=20');
    expect(audit.body.events.find((e) => e.action === 'token.revoked' && e.target.id === token.id)?.details.reason).toBe('user dave deactivated');

    // Reactivation restores neither the old tokens nor the old sessions: the user logs in and makes new tokens.
    expect((await admin.patch(`/api/v1/users/${devId}`, { status: 'active' })).status).toBe(200);
    const after = await tokenClient.get<ApiErrorBody>('/api/v1/whoami');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('token_revoked');
    expect((await dev.get('/api/v1/whoami')).status).toBe(401);
    const again = await login(server, 'dave', 'pw-dave-0123456789');
    expect(again.bearer).toMatch(/^flys_/);
    const fresh = await again.createToken({ name: 'dave ci 2', permission: 'read-write' });
    expect((await new ApiClient(server, fresh.token).get('/api/v1/whoami')).status).toBe(200);
  });

  it('an invited user who never set a password cannot be made active by an admin, only by accepting', async () => {
    const invite = await admin.post<Invitation>('/api/v1/users', { username: 'nora', email: 'nora@example.com', role: 'developer' });
    const id = invite.body.user.id;
    const direct = await admin.patch<ApiErrorBody>(`/api/v1/users/${id}`, { status: 'active' });
    expect(direct.status).toBe(409);
    expect(direct.body.error.message).toMatch(/accepting the invitation/);
    // Deactivated before accepting, then "reactivated": still refused, the account has no password of its own.
    expect((await admin.patch(`/api/v1/users/${id}`, { status: 'deactivated' })).status).toBe(200);
    const roundabout = await admin.patch<ApiErrorBody>(`/api/v1/users/${id}`, { status: 'active' });
    expect(roundabout.status).toBe(409);
    expect(roundabout.body.error.message).toMatch(/never set a password/);
    const list = await admin.get<{ users: User[] }>('/api/v1/users');
    expect(list.body.users.find((u) => u.username === 'nora')?.status).toBe('deactivated');
  });

  it('changes a role, and never demotes or deactivates the last active admin', async () => {
    const adminId = (await admin.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
    const demote = await admin.patch<ApiErrorBody>(`/api/v1/users/${adminId}`, { role: 'developer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/last active admin/);
    expect((await admin.patch(`/api/v1/users/${adminId}`, { status: 'deactivated' })).status).toBe(409);

    const ana = await createUser(admin, 'ana');
    const anaId = (await ana.get<{ user: { id: string } }>('/api/v1/whoami')).body.user.id;
    const promoted = await admin.patch<User>(`/api/v1/users/${anaId}`, { role: 'admin' });
    expect(promoted.body.role).toBe('admin');
    expect((await ana.get<{ user: { role: string } }>('/api/v1/whoami')).body.user.role).toBe('admin');
    // Now there are two admins: the first may step down.
    const stepDown = await ana.patch<User>(`/api/v1/users/${adminId}`, { role: 'developer' });
    expect(stepDown.status).toBe(200);
    expect((await admin.get('/api/v1/users')).status).toBe(403);
    expect((await ana.patch(`/api/v1/users/${adminId}`, { role: 'admin' })).status).toBe(200);
  });

  it('refuses to patch an unknown user, or with nothing to change', async () => {
    expect((await admin.patch('/api/v1/users/00000000-0000-0000-0000-000000000000', { role: 'admin' })).status).toBe(404);
    const users = await admin.get<{ users: User[] }>('/api/v1/users');
    const someone = users.body.users[0] as User;
    const empty = await admin.patch<ApiErrorBody>(`/api/v1/users/${someone.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('give role and/or status');
  });
});
