/** Notifications: the events Fly Registry announces, to webhooks and (some of them) by email. */

/** Every event a webhook may subscribe to: the one list the API, the dashboard and the dispatcher read. */
export const NOTIFICATION_EVENT_TYPES = [
  'token.created',
  'token.rotated',
  'token.expiring_soon',
  'token.expired',
  'token.revoked',
  'token.leaked',
  'environment.deployed',
  'release.created',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];
/** The "send test" button's event: delivered to the one webhook it was sent from, whatever it subscribes to. */
export type AnyEventType = NotificationEventType | 'webhook.test';

/** Events whose token creator also gets an email (when SMTP is configured). */
export const EMAILED_EVENT_TYPES: ReadonlySet<AnyEventType> = new Set(['token.expiring_soon', 'token.leaked']);

/** What happened, as every channel receives it. Never holds a secret. */
export interface NotificationEvent {
  id: string;
  type: AnyEventType;
  occurredAt: Date;
  /** Who did it (a username, or `system` for the expiry job, `secret-scanning` for a leak report). */
  actor: string;
  target: { type: string; id: string | null; name: string | null };
  details: Record<string, unknown>;
}

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface Webhook {
  id: string;
  name: string;
  url: string;
  /** The HMAC key of the signature header; shown to admins so they can configure the receiver. */
  secret: string;
  events: NotificationEventType[];
  format: WebhookFormat;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
}

export type DeliveryChannel = 'webhook' | 'email';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one webhook or one mailbox, with its retry state. */
export interface Delivery {
  id: string;
  eventId: string;
  eventType: AnyEventType;
  channel: DeliveryChannel;
  webhookId: string | null;
  recipient: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  /** The receiver's HTTP status of the last attempt (webhooks). */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
}

/** A delivery the worker has claimed, with what it needs to send it. */
export interface DueDelivery {
  delivery: Delivery;
  event: NotificationEvent;
  webhook: Webhook | null;
}

export type ExpiryState = 'expiring_soon' | 'expired';

/** A token that has entered an expiry state nobody was told of yet. */
export interface ExpiryCandidate {
  tokenId: string;
  name: string;
  username: string;
  createdBy: string;
  expiresAt: Date;
  state: ExpiryState;
}
