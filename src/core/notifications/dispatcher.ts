import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { MetadataStore } from '../ports.js';
import { EMAILED_EVENT_TYPES, type Delivery, type DueDelivery, type NotificationEvent } from './model.js';
import { emailFor, webhookBody, webhookSignature } from './payloads.js';
import type { Mailer, WebhookTransport } from './ports.js';

export interface DispatcherDeps {
  store: MetadataStore;
  clock: Clock;
  transport: WebhookTransport;
  /** Null when SMTP is not configured: no email deliveries are created. */
  mailer: Mailer | null;
  publicUrl: URL;
  /** The first retry waits this long, each next one twice as long (capped at an hour). */
  retryBaseMs: number;
  /** After this many failed attempts a delivery is given up ("failed"). */
  maxAttempts: number;
}

/** How long a claimed delivery belongs to its sender: past this, a sender that died leaves it due again. */
const CLAIM_MS = 60_000;
const BATCH = 50;
/** How long the delivery log keeps finished deliveries (and the outbox its delivered events). */
const RETENTION_MS = 30 * 86_400_000;
const MAX_BACKOFF_MS = 3_600_000;
/** The delivery log keeps the start of an error, not a receiver's whole answer. */
const ERROR_CHARS = 300;

/**
 * Turns outbox events into deliveries (one per subscribed webhook, one email to a token's creator for the
 * emailed types) and sends due deliveries, with exponential backoff between failed attempts. Every step is
 * safe to run in several processes at once: fan-out and sending claim their rows with conditional updates.
 */
export class NotificationDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** Drops the delivery log and events older than the retention (the periodic expiry job calls it). */
  async prune(): Promise<void> {
    await this.deps.store.notifications.prune(new Date(this.deps.clock.nowMs() - RETENTION_MS));
  }

  /** One pass: fan out what is pending, then send what is due. */
  async run(): Promise<void> {
    await this.fanOut();
    await this.deliverDue();
  }

  async fanOut(): Promise<void> {
    for (const event of await this.deps.store.notifications.pendingEvents(BATCH)) {
      await this.deps.store.transaction(async (tx) => {
        if (!(await tx.notifications.markFannedOut(event.id, this.deps.clock.now()))) return;
        await tx.notifications.insertDeliveries(await this.deliveriesFor(tx, event));
      });
    }
  }

  private async deliveriesFor(tx: MetadataStore, event: NotificationEvent): Promise<Delivery[]> {
    const now = this.deps.clock.now();
    const fresh = (channel: Delivery['channel'], webhookId: string | null, recipient: string | null): Delivery => ({
      id: randomUUID(),
      eventId: event.id,
      eventType: event.type,
      channel,
      webhookId,
      recipient,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      createdAt: now,
    });
    const out: Delivery[] = [];
    if (event.type === 'webhook.test') {
      // A test goes to the one webhook it was sent from (details.webhookId), whatever it subscribes to.
      const id = typeof event.details.webhookId === 'string' ? event.details.webhookId : '';
      if (await tx.notifications.webhookById(id)) out.push(fresh('webhook', id, null));
      return out;
    }
    for (const webhook of await tx.notifications.webhooks()) {
      if (webhook.enabled && (webhook.events as string[]).includes(event.type)) out.push(fresh('webhook', webhook.id, null));
    }
    if (this.deps.mailer && EMAILED_EVENT_TYPES.has(event.type) && event.target.type === 'token' && event.target.id) {
      const token = await tx.tokens.byId(event.target.id);
      const creator = token && (await tx.users.byId(token.createdBy));
      if (creator?.email) out.push(fresh('email', null, creator.email));
    }
    return out;
  }

  async deliverDue(): Promise<void> {
    const now = this.deps.clock.now();
    for (const due of await this.deps.store.notifications.dueDeliveries(now, BATCH)) {
      const expected = due.delivery.nextAttemptAt ?? now;
      if (!(await this.deps.store.notifications.claimDelivery(due.delivery.id, expected, new Date(now.getTime() + CLAIM_MS)))) continue;
      await this.attempt(due);
    }
  }

  private async attempt({ delivery, event, webhook }: DueDelivery): Promise<void> {
    let error: string | null = null;
    let status: number | null = null;
    try {
      if (delivery.channel === 'email') {
        if (!this.deps.mailer || !delivery.recipient) throw new Error('SMTP is not configured');
        const { subject, text } = emailFor(event, new URL('/tokens', this.deps.publicUrl));
        await this.deps.mailer.send({ to: delivery.recipient, subject, text });
      } else {
        if (!webhook) throw new Error('the webhook was deleted');
        const body = webhookBody(event, webhook.format);
        const answer = await this.deps.transport.post(webhook.url, this.headers(event, delivery, webhook.secret, body), body);
        status = answer.status;
        if (answer.status < 200 || answer.status > 299) error = `HTTP ${answer.status}${answer.bodyExcerpt ? `: ${answer.bodyExcerpt}` : ''}`;
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const at = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    const giveUp = error !== null && attempts >= this.deps.maxAttempts;
    await this.deps.store.notifications.recordAttempt(delivery.id, {
      status: error === null ? 'delivered' : giveUp ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: error === null || giveUp ? null : new Date(at.getTime() + this.backoffMs(attempts)),
      lastAttemptAt: at,
      lastStatus: status,
      lastError: error === null ? null : error.slice(0, ERROR_CHARS),
    });
  }

  /** retryBase · 2^(attempts−1), capped: 30 s, 1 min, 2 min… with the default base. */
  private backoffMs(attempts: number): number {
    return Math.min(MAX_BACKOFF_MS, this.deps.retryBaseMs * 2 ** (attempts - 1));
  }

  private headers(event: NotificationEvent, delivery: Delivery, secret: string, body: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'Fly-Registry-Webhook/1',
      'x-fly-event': event.type,
      'x-fly-event-id': event.id,
      'x-fly-delivery': delivery.id,
      'x-fly-timestamp': String(Math.floor(event.occurredAt.getTime() / 1000)),
      'x-fly-signature': webhookSignature(secret, body),
    };
  }
}
