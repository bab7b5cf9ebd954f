import { createHmac } from 'node:crypto';
import type { AnyEventType, NotificationEvent, WebhookFormat } from './model.js';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, keyed with the webhook's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The JSON a webhook receives: the event as recorded, times in ISO-8601. */
export function eventJson(event: NotificationEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    actor: event.actor,
    target: event.target,
    details: event.details,
  };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** One human sentence per event: Slack's `text`, and the first line of emails. */
export function eventSentence(event: NotificationEvent): string {
  const name = event.target.name ?? event.target.id ?? '(unnamed)';
  const d = event.details;
  const sentences: Record<AnyEventType, () => string> = {
    'token.created': () => `Token "${name}" was created by ${event.actor}.`,
    'token.rotated': () => `Token "${name}" was rotated by ${event.actor}.`,
    'token.expiring_soon': () => `Token "${name}" expires at ${str(d.expiresAt) ?? 'soon'}: rotate or replace it before then.`,
    'token.expired': () => `Token "${name}" expired at ${str(d.expiresAt) ?? 'its expiry date'}.`,
    'token.revoked': () => `Token "${name}" was revoked by ${event.actor}.`,
    'token.leaked': () =>
      `Token "${name}" was reported leaked${str(d.url) ? ` (found at ${str(d.url)})` : ''} and has been revoked: replace it wherever it was used.`,
    'environment.deployed': () =>
      `${str(d.environment) ?? 'An environment'} now runs ${str(d.repository) ?? name}@${str(d.digest) ?? '?'}${str(d.tag) ? ` (${str(d.tag)})` : ''}.`,
    'release.created': () => `Release ${name} was created by ${event.actor}.`,
    'webhook.test': () => `Test event from Fly Registry, sent by ${event.actor}.`,
  };
  return sentences[event.type]();
}

/** The body a webhook of this format receives. */
export function webhookBody(event: NotificationEvent, format: WebhookFormat): string {
  return JSON.stringify(format === 'slack' ? { text: `[Fly Registry] ${eventSentence(event)}` } : eventJson(event));
}

/** The email a token's creator receives for expiring-soon and leaked tokens. */
export function emailFor(event: NotificationEvent, tokensPage: URL): { subject: string; text: string } {
  const name = event.target.name ?? '(unnamed)';
  const subject = event.type === 'token.leaked' ? `Your token "${name}" was leaked and has been revoked` : `Your token "${name}" expires soon`;
  const text = [
    eventSentence(event),
    '',
    `Token: ${name}${str(event.details.username) ? ` (username ${str(event.details.username)})` : ''}`,
    `Manage your tokens: ${tokensPage.href}`,
    '',
    '— Fly Registry',
  ].join('\n');
  return { subject, text };
}
