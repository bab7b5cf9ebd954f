import type { Delivery, DueDelivery, ExpiryCandidate, ExpiryState, NotificationEvent, Webhook } from './model.js';

/** The outbox, the webhooks, the delivery queue and the expiry notices (storage/sql/stores/notifications.ts). */
export interface NotificationStore {
  /** Appends an event to the outbox: through a transaction's store, it lands with the change it announces. */
  enqueue(event: NotificationEvent): Promise<void>;
  /** Events not yet fanned out, oldest first. */
  pendingEvents(limit: number): Promise<NotificationEvent[]>;
  /** Marks an event fanned out; false when another process already did (then its deliveries exist). */
  markFannedOut(eventId: string, at: Date): Promise<boolean>;

  insertWebhook(webhook: Webhook): Promise<void>;
  updateWebhook(id: string, patch: Partial<Pick<Webhook, 'name' | 'url' | 'secret' | 'events' | 'format' | 'enabled'>>): Promise<void>;
  deleteWebhook(id: string): Promise<void>;
  webhookById(id: string): Promise<Webhook | undefined>;
  webhooks(): Promise<Webhook[]>;

  insertDeliveries(deliveries: Delivery[]): Promise<void>;
  /** Pending deliveries whose next attempt is due, oldest first (not yet claimed). */
  dueDeliveries(now: Date, limit: number): Promise<DueDelivery[]>;
  /**
   * Claims a due delivery by moving its next attempt to `until` if it still is `expected`: only the process
   * whose update changed the row sends it, and a process that dies mid-send leaves it due again at `until`.
   */
  claimDelivery(id: string, expected: Date, until: Date): Promise<boolean>;
  /** Records an attempt's outcome (status, attempts, next attempt, last status and error). */
  recordAttempt(id: string, outcome: Pick<Delivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatus' | 'lastError'>): Promise<void>;
  /**
   * Forgets finished deliveries (delivered or failed) created before `before`, and fanned-out events older
   * than that which no delivery still names. Pending deliveries and their events are kept whatever their age.
   */
  prune(before: Date): Promise<void>;
  /** A webhook's deliveries, newest first. */
  deliveriesOf(webhookId: string, limit: number): Promise<Delivery[]>;

  /**
   * Unrevoked tokens living longer than `minLifetime` that expire within `window` (expiring soon) or have
   * expired, and whose state has no notice yet. Expired tokens come first.
   */
  expiryCandidates(now: Date, windowMs: number, minLifetimeMs: number, limit: number): Promise<ExpiryCandidate[]>;
  /** Records that a token's state was announced; false when it already was (another process got there). */
  recordExpiryNotice(tokenId: string, state: ExpiryState, at: Date): Promise<boolean>;
}

/** An email to send; plain text (the adapter is SMTP through nodemailer: server/smtp-mailer.ts). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** What a receiver answered: its status and the start of its body (bounded, for the delivery log). */
export interface WebhookResponse {
  status: number;
  bodyExcerpt: string;
}

/** Posts one webhook body (server/webhook-transport.ts: http(s) only, no redirects, bounded time and read). */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse>;
}
