import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Webhook, WebhookDeliveryList, WebhookList } from '../../src/api/answers.js';
import { ApiClient, login } from '../helpers/api.js';
import { runTool } from '../helpers/run-tool.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'receiver-shared-secret-0123456789';
const ALL_EVENTS = ['token.created', 'token.rotated', 'token.expiring_soon', 'token.expired', 'token.revoked', 'token.leaked', 'environment.deployed', 'release.created'];

/** Polls until `found` returns something, failing after 30 s with what was seen. */
async function waitFor<T>(what: string, found: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface EventBody {
  id: string;
  type: string;
  occurredAt: string;
  actor: string;
  target: { type: string; id: string | null; name: string | null };
  details: Record<string, unknown>;
}

const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body) as EventBody;

/** The receiver's side of the contract: HMAC-SHA256 of the exact body with the shared secret. */
function signatureValid(r: ReceivedRequest, secret: string): boolean {
  const header = String(r.headers['x-fly-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

describe('webhooks and email notifications', () => {
  let server: TestServer;
  let admin: ApiClient;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  let env: Record<string, string>;
  let hook: Webhook;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startSmtpSink();
    env = {
      FLY_SMTP_URL: smtp.url,
      FLY_SMTP_FROM: 'Fly Registry <registry@example.test>',
      FLY_NOTIFY_INTERVAL_MS: '100',
      FLY_WEBHOOK_RETRY_SECONDS: '1',
      FLY_EXPIRY_CHECK_SECONDS: '1',
    };
    server = await startServer({ env });
    admin = await login(server);
    const created = await admin.post<Webhook>('/api/v1/webhooks', { name: 'ops', url: receiver.url, secret: SECRET, events: ALL_EVENTS });
    expect(created.status).toBe(201);
    hook = created.body;
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  const received = (type: string, predicate: (b: EventBody) => boolean = () => true) =>
    receiver.received.filter((r) => r.headers['x-fly-event'] === type && predicate(bodyOf(r)));

  it('refuses webhook URLs that are not http(s) and names the events one may subscribe to', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/', 'http://user:pw@example.com/']) {
      const res = await admin.post('/api/v1/webhooks', { name: 'bad', url, events: ['token.created'] });
      expect(res.status, url).toBe(400);
    }
    const list = await admin.get<WebhookList>('/api/v1/webhooks');
    expect(list.body.events).toEqual(ALL_EVENTS);
    expect(list.body.email).toBe(true);
    expect(list.body.webhooks.map((w) => w.name)).toEqual(['ops']);
    // Webhooks are for admins' sessions: a registry token (even the admin's) and no credential are refused.
    const token = await admin.createToken({ name: 'not for webhooks', permission: 'read-write' });
    expect((await new ApiClient(server, token.token).get('/api/v1/webhooks')).status).toBe(403);
    expect((await new ApiClient(server).get('/api/v1/webhooks')).status).toBe(401);
    expect((await new ApiClient(server, token.token).post(`/api/v1/webhooks/${hook.id}/test`)).status).toBe(403);
    // Its own announcement is out of the way before the next test tells the receiver to fail once.
    await waitFor('token.created of the refused token', () => received('token.created', (b) => b.target.id === token.id)[0]);
  });

  it('a created token is announced with a signed body; a 500 answer is retried with the same event', async () => {
    receiver.answer.next.push(500);
    const token = await admin.createToken({ name: 'deploy bot', permission: 'read-write' });
    const [first, second] = await waitFor('a retried token.created', () => {
      const hits = received('token.created', (b) => b.target.id === token.id);
      return hits.length >= 2 ? hits : undefined;
    });
    expect(first?.answered).toBe(500);
    expect(second?.answered).toBe(204);
    expect(second?.body).toBe(first?.body);
    for (const r of [first, second] as ReceivedRequest[]) {
      expect(signatureValid(r, SECRET)).toBe(true);
      expect(signatureValid(r, 'another-secret-entirely-000000')).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-fly-event-id']).toBe(bodyOf(r).id);
      expect(Number(r.headers['x-fly-timestamp'])).toBeGreaterThan(1_700_000_000);
    }
    const body = bodyOf(second as ReceivedRequest);
    expect(body).toMatchObject({ type: 'token.created', actor: 'admin', target: { type: 'token', id: token.id, name: 'deploy bot' } });
    expect(second?.body).not.toContain(token.token);

    const log = await admin.get<WebhookDeliveryList>(`/api/v1/webhooks/${hook.id}/deliveries`);
    const delivery = log.body.deliveries.find((d) => d.eventId === body.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204, eventType: 'token.created' });
  });

  it('a token expiring within the window is announced once, by webhook and by email to its creator', async () => {
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const token = await admin.createToken({ name: 'laptop', permission: 'read-only', expiresAt: inTwoDays });
    await waitFor('token.expiring_soon webhook', () => received('token.expiring_soon', (b) => b.target.id === token.id)[0]);
    const mail = await waitFor('expiry email', () => smtp.received.find((m) => m.subject.includes('"laptop"')));
    expect(mail.to).toEqual(['admin@localhost']);
    expect(mail.from).toBe('registry@example.test');
    expect(mail.subject).toBe('Your token "laptop" expires soon');
    expect(mail.text).toContain('Token "laptop" expires at');
    expect(mail.text).toContain(`Manage your tokens: http://localhost:${server.port}/tokens`);
    // Several more checks run meanwhile: still one announcement and one email.
    await sleep(2500);
    expect(received('token.expiring_soon', (b) => b.target.id === token.id).filter((r) => r.answered < 300)).toHaveLength(1);
    expect(smtp.received.filter((m) => m.subject.includes('"laptop"'))).toHaveLength(1);
    // A token that lives a day or less (a CI exchange, a credential-helper token) is never announced.
    const brief = await admin.createToken({ name: 'brief', permission: 'read-only', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await sleep(2500);
    expect(received('token.expiring_soon', (b) => b.target.id === brief.id)).toHaveLength(0);
  });

  it('a leaked token is announced as token.leaked and its creator is emailed', async () => {
    const token = await admin.createToken({ name: 'pasted', permission: 'read-write' });
    expect((await new ApiClient(server).post('/api/v1/tokens/report-leak', { token: token.token })).status).toBe(202);
    const leaked = await waitFor('token.leaked webhook', () => received('token.leaked', (b) => b.target.id === token.id)[0]);
    expect(bodyOf(leaked)).toMatchObject({ actor: 'leak-report', details: { reason: 'leaked' } });
    expect(signatureValid(leaked, SECRET)).toBe(true);
    const mail = await waitFor('leak email', () => smtp.received.find((m) => m.subject.includes('"pasted"')));
    expect(mail.subject).toBe('Your token "pasted" was leaked and has been revoked');
    expect(mail.text).not.toContain(token.token);
  });

  it('an invitation is emailed with its one-time link when SMTP is configured (and not when told not to)', async () => {
    const invited = await admin.post<{ invitationUrl: string; invitationToken: string; emailed: boolean }>('/api/v1/users', {
      username: 'rosa',
      email: 'rosa@example.com',
      role: 'developer',
    });
    expect(invited.status).toBe(201);
    expect(invited.body.emailed).toBe(true);
    const mail = await waitFor('invitation email', () => smtp.received.find((m) => m.to.includes('rosa@example.com')));
    expect(mail.subject).toBe('You are invited to Fly Registry');
    expect(mail.text).toContain(invited.body.invitationUrl);
    const opened = await new ApiClient(server).get(`/api/v1/invitations/${invited.body.invitationToken}`);
    expect(opened.status).toBe(200);

    const quiet = await admin.post<{ emailed: boolean }>('/api/v1/users', { username: 'sam', email: 'sam@example.com', role: 'developer', sendEmail: false });
    expect(quiet.body.emailed).toBe(false);
    await sleep(500);
    expect(smtp.received.some((m) => m.to.includes('sam@example.com'))).toBe(false);
  });

  it('"send test" delivers a webhook.test event to that webhook', async () => {
    const res = await admin.post<{ eventId: string }>(`/api/v1/webhooks/${hook.id}/test`);
    expect(res.status).toBe(202);
    const test = await waitFor('webhook.test', () => receiver.received.find((r) => r.headers['x-fly-event-id'] === res.body.eventId));
    expect(bodyOf(test).type).toBe('webhook.test');
    expect(signatureValid(test, SECRET)).toBe(true);
  });

  it('a Slack-format webhook gets {"text": …}, signed alike', async () => {
    const slack = await startWebhookReceiver();
    try {
      const created = await admin.post<Webhook>('/api/v1/webhooks', { name: 'chat', url: slack.url, events: ['token.revoked'], format: 'slack' });
      expect(created.status).toBe(201);
      expect(created.body.secret.length).toBeGreaterThanOrEqual(16);
      const token = await admin.createToken({ name: 'old laptop', permission: 'read-only' });
      await admin.post(`/api/v1/tokens/${token.id}/revoke`);
      const hit = await waitFor('slack message', () => slack.received[0]);
      expect(JSON.parse(hit.body)).toEqual({ text: '[Fly Registry] Token "old laptop" was revoked by admin.' });
      expect(signatureValid(hit, created.body.secret)).toBe(true);
      // It subscribed to token.revoked only.
      expect(slack.received.every((r) => r.headers['x-fly-event'] === 'token.revoked')).toBe(true);
    } finally {
      await slack.close();
    }
  });

  it('a release is announced as release.created', async () => {
    const writer = await admin.createToken({ name: 'ci uploader', permission: 'read-write' });
    const dir = mkdtempSync(join(tmpdir(), 'fly-release-'));
    try {
      writeFileSync(join(dir, 'tool.txt'), 'a build output\n');
      const upload = await runTool('curl', ['-sS', '-f', '-u', `${writer.username}:${writer.token}`, '-T', 'tool.txt', `${server.url}/generic/tool/1.4.0/tool.txt`], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir },
        timeoutMs: 60_000,
      });
      expect(upload.code, upload.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const release = await admin.post<{ id: number }>('/api/v1/releases', { name: 'tool', version: '1.4.0', artifacts: [{ type: 'generic', name: 'tool', version: '1.4.0' }] });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    const hit = await waitFor('release.created', () => received('release.created')[0]);
    expect(bodyOf(hit)).toMatchObject({ type: 'release.created', actor: 'admin', target: { type: 'release' } });
    expect(signatureValid(hit, SECRET)).toBe(true);
  });

  it('the delivery queue survives a restart: a failing delivery is delivered by the restarted server', async () => {
    receiver.answer.otherwise = 503;
    const token = await admin.createToken({ name: 'across restart', permission: 'read-only' });
    await waitFor('a failed attempt', () => received('token.created', (b) => b.target.id === token.id)[0]);
    const log = await admin.get<WebhookDeliveryList>(`/api/v1/webhooks/${hook.id}/deliveries`);
    const pending = log.body.deliveries.find((d) => d.status === 'pending' && d.lastStatus === 503);
    expect(pending?.lastError).toMatch(/^HTTP 503: receiver says no/);
    await server.kill();
    receiver.answer.otherwise = 204;
    server = await startServer({ env, database: server.database });
    admin = await login(server);
    const ok = await waitFor('delivery after restart', () => received('token.created', (b) => b.target.id === token.id).find((r) => r.answered === 204));
    expect(signatureValid(ok, SECRET)).toBe(true);
  });
});
