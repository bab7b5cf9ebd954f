import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { displayText, parseInput } from '../validation.js';
import { NOTIFICATION_EVENT_TYPES, WEBHOOK_FORMATS, type Delivery, type Webhook } from './model.js';

/** Only http(s) receivers: no file:, data: or other schemes a fetch could be talked into. */
const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000, 'must be at most 2000 characters')
  .refine((u) => !new URL(u).username && !new URL(u).password, 'must not carry credentials (use the secret to authenticate deliveries)');
const webhookSecret = z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters');
const eventList = z.array(z.enum(NOTIFICATION_EVENT_TYPES)).min(1, 'name at least one event').max(NOTIFICATION_EVENT_TYPES.length);

export const createWebhookInput = z.strictObject({
  name: displayText(100),
  url: webhookUrl,
  /** Default: a random one, shown in the answer. */
  secret: webhookSecret.optional(),
  events: eventList,
  format: z.enum(WEBHOOK_FORMATS).default('json'),
  enabled: z.boolean().default(true),
});

export const updateWebhookInput = z.strictObject({
  name: displayText(100).optional(),
  url: webhookUrl.optional(),
  secret: webhookSecret.optional(),
  events: eventList.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  enabled: z.boolean().optional(),
});

export interface WebhookServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
}

const DELIVERY_LOG_LIMIT = 100;

/** Admins configure webhooks; every change is audited (never with the secret). */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  async list(actor: Principal): Promise<Webhook[]> {
    authorize(actor, 'pull', { kind: 'webhooks' });
    return this.deps.store.notifications.webhooks();
  }

  async get(actor: Principal, id: string): Promise<Webhook> {
    authorize(actor, 'pull', { kind: 'webhooks' });
    return this.load(this.deps.store, id);
  }

  async create(actor: Principal, input: unknown, ctx: RequestContext): Promise<Webhook> {
    authorize(actor, 'manage', { kind: 'webhooks' });
    const parsed = parseInput(createWebhookInput, input);
    const webhook: Webhook = {
      id: randomUUID(),
      name: parsed.name,
      url: parsed.url,
      secret: parsed.secret ?? randomBytes(24).toString('base64url'),
      events: [...new Set(parsed.events)],
      format: parsed.format,
      enabled: parsed.enabled,
      createdBy: actor.user.username,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.notifications.insertWebhook(webhook);
      await this.audit(tx, actor, 'webhook.created', webhook, ctx);
    });
    return webhook;
  }

  async update(actor: Principal, id: string, input: unknown, ctx: RequestContext): Promise<Webhook> {
    authorize(actor, 'manage', { kind: 'webhooks' });
    const patch = parseInput(updateWebhookInput, input);
    return this.deps.store.transaction(async (tx) => {
      await this.load(tx, id);
      await tx.notifications.updateWebhook(id, { ...patch, ...(patch.events ? { events: [...new Set(patch.events)] } : {}) });
      const updated = await this.load(tx, id);
      await this.audit(tx, actor, 'webhook.updated', updated, ctx, { changed: Object.keys(patch) });
      return updated;
    });
  }

  async delete(actor: Principal, id: string, ctx: RequestContext): Promise<void> {
    authorize(actor, 'manage', { kind: 'webhooks' });
    await this.deps.store.transaction(async (tx) => {
      const webhook = await this.load(tx, id);
      await tx.notifications.deleteWebhook(id);
      await this.audit(tx, actor, 'webhook.deleted', webhook, ctx);
    });
  }

  /** Queues a `webhook.test` event for this one webhook; the delivery log shows how it went. */
  async sendTest(actor: Principal, id: string): Promise<{ eventId: string }> {
    authorize(actor, 'manage', { kind: 'webhooks' });
    const webhook = await this.load(this.deps.store, id);
    const eventId = randomUUID();
    await this.deps.store.notifications.enqueue({
      id: eventId,
      type: 'webhook.test',
      occurredAt: this.deps.clock.now(),
      actor: actorName(actor),
      target: { type: 'webhook', id: webhook.id, name: webhook.name },
      details: { webhookId: webhook.id },
    });
    return { eventId };
  }

  async deliveries(actor: Principal, id: string): Promise<Delivery[]> {
    authorize(actor, 'pull', { kind: 'webhooks' });
    await this.load(this.deps.store, id);
    return this.deps.store.notifications.deliveriesOf(id, DELIVERY_LOG_LIMIT);
  }

  private async load(store: MetadataStore, id: string): Promise<Webhook> {
    const webhook = await store.notifications.webhookById(id);
    if (!webhook) throw Errors.notFound('Webhook', id);
    return webhook;
  }

  private audit(
    tx: MetadataStore,
    actor: Principal,
    action: 'webhook.created' | 'webhook.updated' | 'webhook.deleted',
    w: Webhook,
    ctx: RequestContext,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    return this.deps.audit.record(
      tx.audit,
      { actor: actorName(actor), action, target: { type: 'webhook', id: w.id, name: w.name }, details: { origin: new URL(w.url).origin, events: w.events, format: w.format, enabled: w.enabled, ...extra } },
      ctx,
    );
  }
}
