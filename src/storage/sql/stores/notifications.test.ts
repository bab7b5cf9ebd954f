import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, TEST_ENGINE } from '../../../../test/helpers/database.js';
import type { SqlMetadataStore } from '../metadata-store.js';
import { AuditLog } from '../../../core/audit/audit-log.js';
import type { Clock } from '../../../core/clock.js';
import { announcingDeployments } from '../../../core/notifications/deployments.js';
import { NotificationDispatcher } from '../../../core/notifications/dispatcher.js';
import { ExpiryWatch } from '../../../core/notifications/expiry-watch.js';
import type { MailMessage, WebhookTransport } from '../../../core/notifications/ports.js';

const DAY = 86_400_000;

/** A clock the test moves by hand. */
function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), nowMs: () => now, advance: (ms) => void (now += ms) };
}

describe(`notifications over the store on ${TEST_ENGINE}`, () => {
  let store: SqlMetadataStore;
  let close: () => Promise<void>;
  const clock = manualClock(Date.UTC(2026, 5, 1));
  const audit = new AuditLog(clock);
  const userId = randomUUID();

  const insertToken = async (name: string, lifetimeMs: number) => {
    const id = randomUUID();
    await store.tokens.insert({
      id,
      name,
      username: `${name}-${id.slice(0, 6)}`,
      permission: 'read-only',
      createdBy: userId,
      createdAt: clock.now(),
      expiresAt: new Date(clock.nowMs() + lifetimeMs),
      revokedAt: null,
      revokedBy: null,
      environmentId: null,
      secretHash: randomUUID().replace(/-/g, '').repeat(2),
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedClient: null,
      useCount: 0,
    });
    return id;
  };

  const outbox = async () => store.notifications.pendingEvents(1000);

  beforeAll(async () => {
    ({ store, close } = await openTestStore());
    await store.users.insert({ id: userId, username: 'owner', email: 'owner@example.com', name: null, role: 'admin', status: 'active', passwordHash: null, createdAt: clock.now(), lastLoginAt: null });
  });
  afterAll(() => close?.());

  it('announces expiring soon, then expired, once each; tokens living a day or less never', async () => {
    const watch = new ExpiryWatch({ store, clock, audit, windowMs: 7 * DAY });
    const monthly = await insertToken('monthly', 30 * DAY);
    const hourly = await insertToken('hourly', 3_600_000);
    expect(await watch.run()).toBe(0);

    clock.advance(24 * DAY);
    expect(await watch.run()).toBe(1);
    expect(await watch.run()).toBe(0);
    clock.advance(7 * DAY);
    expect(await watch.run()).toBe(1);
    expect(await watch.run()).toBe(0);

    const events = (await outbox()).filter((e) => e.target.id === monthly || e.target.id === hourly);
    expect(events.map((e) => [e.type, e.target.id])).toEqual([
      ['token.expiring_soon', monthly],
      ['token.expired', monthly],
    ]);
    expect(events[0]).toMatchObject({ actor: 'system', details: { expiresAt: new Date(Date.UTC(2026, 5, 1) + 30 * DAY).toISOString() } });
    const audited = await store.audit.list({ limit: 10 });
    expect(audited.filter((a) => a.targetId === monthly).map((a) => a.action)).toEqual(['token.expired', 'token.expiring_soon']);
  });

  it('fans out to subscribed, enabled webhooks and the creator by email; retries with doubling delays, then gives up', async () => {
    // Start from an empty outbox: earlier events are not this test's.
    for (const e of await outbox()) await store.notifications.markFannedOut(e.id, clock.now());
    const base = { secret: 'x'.repeat(20), format: 'json' as const, createdBy: 'owner', createdAt: clock.now() };
    await store.notifications.insertWebhook({ ...base, id: 'all', name: 'all', url: 'http://127.0.0.1:9/a', events: ['token.expiring_soon', 'token.created'], enabled: true });
    await store.notifications.insertWebhook({ ...base, id: 'off', name: 'off', url: 'http://127.0.0.1:9/b', events: ['token.expiring_soon'], enabled: false });
    await store.notifications.insertWebhook({ ...base, id: 'other', name: 'other', url: 'http://127.0.0.1:9/c', events: ['release.created'], enabled: true });

    const posts: string[] = [];
    const transport: WebhookTransport = {
      post: async (url) => {
        posts.push(url);
        return { status: 502, bodyExcerpt: 'bad gateway' };
      },
    };
    const mails: MailMessage[] = [];
    const dispatcher = new NotificationDispatcher({
      store,
      clock,
      transport,
      mailer: { send: async (m) => void mails.push(m) },
      publicUrl: new URL('https://registry.example.com'),
      retryBaseMs: 1000,
      maxAttempts: 3,
    });

    await insertToken('weekly', 10 * DAY);
    clock.advance(4 * DAY);
    await new ExpiryWatch({ store, clock, audit, windowMs: 7 * DAY }).run();
    await dispatcher.run();
    expect(posts).toEqual(['http://127.0.0.1:9/a']);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'owner@example.com', subject: 'Your token "weekly" expires soon' });
    expect(mails[0]?.text).toContain('https://registry.example.com/tokens');

    const log = async () => (await store.notifications.deliveriesOf('all', 10))[0];
    expect(await log()).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 502, lastError: 'HTTP 502: bad gateway' });
    expect((await log())?.nextAttemptAt?.getTime()).toBe(clock.nowMs() + 1000);

    await dispatcher.run(); // not due yet
    expect(posts).toHaveLength(1);
    clock.advance(1000);
    await dispatcher.run();
    expect(posts).toHaveLength(2);
    expect((await log())?.nextAttemptAt?.getTime()).toBe(clock.nowMs() + 2000);
    clock.advance(2000);
    await dispatcher.run();
    expect(await log()).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    clock.advance(60_000);
    await dispatcher.run();
    expect(posts).toHaveLength(3);
    // The email went once: it succeeded the first time.
    expect(mails).toHaveLength(1);
  });

  it('pruning forgets finished deliveries and their events after the retention, never pending ones', async () => {
    const pendingBefore = (await store.notifications.dueDeliveries(new Date(8_000_000_000_000), 1000)).length;
    const finished = (await store.notifications.deliveriesOf('all', 100)).filter((d) => d.status !== 'pending');
    expect(finished.length).toBeGreaterThan(0);
    // Younger than the cutoff: kept.
    await store.notifications.prune(new Date(Date.UTC(2026, 0, 1)));
    expect((await store.notifications.deliveriesOf('all', 100)).filter((d) => d.status !== 'pending')).toHaveLength(finished.length);
    await store.notifications.prune(new Date(clock.nowMs() + DAY));
    expect((await store.notifications.deliveriesOf('all', 100)).filter((d) => d.status !== 'pending')).toEqual([]);
    expect((await store.notifications.dueDeliveries(new Date(8_000_000_000_000), 1000)).length).toBe(pendingBefore);
  });

  it('a pull batch that starts a new run announces environment.deployed in its transaction', async () => {
    const environmentId = randomUUID();
    await store.environments.insert({ id: environmentId, name: 'production', description: null, color: null, createdBy: 'owner', createdAt: clock.now(), updatedAt: clock.now() });
    const tokenId = await insertToken('prod-nodes', 365 * DAY);
    const deployments = announcingDeployments(store);
    const pull = (digest: string) => ({
      environmentId,
      tokenId,
      repository: 'team/api',
      tag: 'v1',
      digest,
      imageDigest: digest,
      method: 'GET' as const,
      at: clock.now(),
      ip: null,
      client: null,
      newPull: true,
    });
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    await deployments.recordPulls([pull(a)]);
    await deployments.recordPulls([pull(a)]); // the same image again: no new deployment
    await deployments.recordPulls([pull(b)]);
    const deployed = (await outbox()).filter((e) => e.type === 'environment.deployed');
    expect(deployed.map((e) => e.details)).toEqual([
      { environment: 'production', repository: 'team/api', digest: a, tag: 'v1', run: 1 },
      { environment: 'production', repository: 'team/api', digest: b, tag: 'v1', run: 2 },
    ]);
  });
});
