import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import { openInProcessCore, type InProcessCore } from '../../bench/in-process-core.js';
import { userPrincipal, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { isAppError } from '../errors.js';
import { webLoginState, type NpmWebLogin } from './web-login-model.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const TTL_MS = 10 * 60 * 1000;

function request(patch: Partial<NpmWebLogin> = {}): NpmWebLogin {
  return {
    id: 'r',
    doneSecretHash: 'h',
    hostname: null,
    ip: null,
    userAgent: null,
    createdAt: T0,
    expiresAt: new Date(T0.getTime() + TTL_MS),
    decision: null,
    decidedBy: null,
    decidedAt: null,
    consumedAt: null,
    ...patch,
  };
}

describe('webLoginState', () => {
  const before = new Date(T0.getTime() + 1000);
  const after = new Date(T0.getTime() + TTL_MS);

  it('is pending, then approved or denied, then consumed once collected', () => {
    expect(webLoginState(request(), before)).toBe('pending');
    expect(webLoginState(request({ decision: 'approved' }), before)).toBe('approved');
    expect(webLoginState(request({ decision: 'denied' }), before)).toBe('denied');
    expect(webLoginState(request({ decision: 'approved', consumedAt: before }), before)).toBe('consumed');
  });

  it('expires at expiresAt unless it was denied or collected', () => {
    expect(webLoginState(request(), after)).toBe('expired');
    expect(webLoginState(request({ decision: 'approved' }), after)).toBe('expired');
    expect(webLoginState(request({ decision: 'denied' }), after)).toBe('denied');
    expect(webLoginState(request({ decision: 'approved', consumedAt: before }), after)).toBe('consumed');
  });
});

describe(`npm web login service on ${TEST_ENGINE}`, () => {
  let testDb: TestDatabase;
  let running: InProcessCore;
  let now = T0;
  const clock: Clock = { now: () => now, nowMs: () => now.getTime() };
  const ctx: RequestContext = { ip: '10.1.2.3', userAgent: 'npm/11' };
  let alice: Principal;

  const codeOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
      return 'resolved';
    } catch (error) {
      return isAppError(error) ? error.code : String(error);
    }
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    running = await openInProcessCore(testDb.url, { clock, npmWebLoginTtlMs: TTL_MS, authFailures: { max: 1000, windowMs: 60_000 } });
    const user = { id: 'u-alice', username: 'alice', email: 'a@example.com', name: null, role: 'developer' as const, status: 'active' as const, passwordHash: null, createdAt: T0, lastLoginAt: null };
    await running.store.users.insert(user);
    alice = userPrincipal({ id: user.id, username: user.username, role: user.role }, { id: 's', viaCookie: false });
  });
  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  it('pending → approved → consumed by the first poll only; the token is the approver’s and no secret is stored', async () => {
    now = T0;
    const { npmWebLogins, store } = running.core;
    const started = await npmWebLogins.start({ hostname: 'laptop' }, ctx);
    expect(started.loginUrl).toBe(`http://localhost:8080/npm-login/${started.id}`);
    expect(started.doneSecret).toMatch(/^flyl_/);
    expect(await npmWebLogins.poll(started.id, started.doneSecret, ctx)).toEqual({ state: 'pending', retryAfterSeconds: 1 });

    const view = await npmWebLogins.approve(alice, started.id, ctx);
    expect(view.state).toBe('approved');
    const [first, second] = await Promise.allSettled([
      npmWebLogins.poll(started.id, started.doneSecret, ctx),
      npmWebLogins.poll(started.id, started.doneSecret, ctx),
    ]);
    const issued = [first, second].filter((r) => r.status === 'fulfilled');
    expect(issued).toHaveLength(1);
    expect(await codeOf(npmWebLogins.poll(started.id, started.doneSecret, ctx))).toBe('conflict');
    expect((await npmWebLogins.view(alice, started.id)).state).toBe('consumed');

    const tokens = await store.tokens.list({ createdBy: alice.user.id });
    expect(tokens.map((t) => [t.name, t.permission])).toEqual([['npm login (10.1.2.3)', 'read-write']]);
    const row = await store.npmWebLogins.byId(started.id);
    expect(JSON.stringify(row)).not.toContain(started.doneSecret);
  });

  it('pending → denied: the poll is refused and no token is created', async () => {
    now = T0;
    const { npmWebLogins, store } = running.core;
    const before = (await store.tokens.list()).length;
    const started = await npmWebLogins.start({}, ctx);
    expect((await npmWebLogins.deny(alice, started.id, ctx)).state).toBe('denied');
    expect(await codeOf(npmWebLogins.poll(started.id, started.doneSecret, ctx))).toBe('forbidden');
    expect(await codeOf(npmWebLogins.approve(alice, started.id, ctx))).toBe('conflict');
    expect((await store.tokens.list()).length).toBe(before);
  });

  it('expires: neither approval nor collection after the deadline, even once approved', async () => {
    now = T0;
    const { npmWebLogins } = running.core;
    const waiting = await npmWebLogins.start({}, ctx);
    const approved = await npmWebLogins.start({}, ctx);
    await npmWebLogins.approve(alice, approved.id, ctx);
    now = new Date(T0.getTime() + TTL_MS);
    expect(await codeOf(npmWebLogins.approve(alice, waiting.id, ctx))).toBe('login_expired');
    expect(await codeOf(npmWebLogins.poll(waiting.id, waiting.doneSecret, ctx))).toBe('login_expired');
    expect(await codeOf(npmWebLogins.poll(approved.id, approved.doneSecret, ctx))).toBe('login_expired');
  });

  it('a wrong secret or unknown id is not_found; registry tokens cannot decide', async () => {
    now = T0;
    const { npmWebLogins } = running.core;
    const started = await npmWebLogins.start({}, ctx);
    const other = await npmWebLogins.start({}, ctx);
    expect(await codeOf(npmWebLogins.poll(started.id, other.doneSecret, ctx))).toBe('not_found');
    expect(await codeOf(npmWebLogins.poll('00000000-0000-4000-8000-000000000000', started.doneSecret, ctx))).toBe('not_found');
    expect(await codeOf(npmWebLogins.view(alice, 'not-a-uuid'))).toBe('not_found');
    const viaToken: Principal = { ...alice, kind: 'token', session: null, token: { id: 't', name: 'ci', username: 'ci-x', permission: 'read-write', environmentId: null } };
    expect(await codeOf(npmWebLogins.approve(viaToken, started.id, ctx))).toBe('forbidden');
    expect(await codeOf(npmWebLogins.start({ hostname: 42 }, ctx))).toBe('validation');
  });
});
