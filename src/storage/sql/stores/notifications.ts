import type { Kysely, Selectable } from 'kysely';
import type {
  AnyEventType,
  Delivery,
  DeliveryChannel,
  DeliveryStatus,
  DueDelivery,
  ExpiryCandidate,
  ExpiryState,
  NotificationEvent,
  NotificationEventType,
  Webhook,
  WebhookFormat,
} from '../../../core/notifications/model.js';
import type { NotificationStore } from '../../../core/notifications/ports.js';
import { toDate, toDateOrNull, toMsOrNull } from '../rows.js';
import type { Database, NotificationDeliveriesTable, NotificationEventsTable, WebhooksTable } from '../schema.js';

type EventPayload = Pick<NotificationEvent, 'actor' | 'target' | 'details'>;

const toEvent = (r: Selectable<NotificationEventsTable>): NotificationEvent => {
  const payload = JSON.parse(r.payload) as EventPayload;
  return { id: r.id, type: r.type as AnyEventType, occurredAt: toDate(r.occurred_at), ...payload };
};

const toWebhook = (r: Selectable<WebhooksTable>): Webhook => ({
  id: r.id,
  name: r.name,
  url: r.url,
  secret: r.secret,
  events: JSON.parse(r.events) as NotificationEventType[],
  format: r.format as WebhookFormat,
  enabled: Number(r.enabled) === 1,
  createdBy: r.created_by,
  createdAt: toDate(r.created_at),
});

const toDelivery = (r: Selectable<NotificationDeliveriesTable>, eventType: string): Delivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: eventType as AnyEventType,
  channel: r.channel as DeliveryChannel,
  webhookId: r.webhook_id,
  recipient: r.recipient,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: toDateOrNull(r.next_attempt_at),
  lastAttemptAt: toDateOrNull(r.last_attempt_at),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  createdAt: toDate(r.created_at),
});

export class SqlNotificationStore implements NotificationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(event: NotificationEvent): Promise<void> {
    const payload: EventPayload = { actor: event.actor, target: event.target, details: event.details };
    await this.db
      .insertInto('notification_events')
      .values({ id: event.id, type: event.type, occurred_at: event.occurredAt.getTime(), payload: JSON.stringify(payload), fanned_out_at: null })
      .execute();
  }

  async pendingEvents(limit: number): Promise<NotificationEvent[]> {
    const rows = await this.db.selectFrom('notification_events').selectAll().where('fanned_out_at', 'is', null).orderBy('occurred_at').limit(limit).execute();
    return rows.map(toEvent);
  }

  async markFannedOut(eventId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_events')
      .set({ fanned_out_at: at.getTime() })
      .where('id', '=', eventId)
      .where('fanned_out_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertWebhook(w: Webhook): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({
        id: w.id,
        name: w.name,
        url: w.url,
        secret: w.secret,
        events: JSON.stringify(w.events),
        format: w.format,
        enabled: w.enabled ? 1 : 0,
        created_by: w.createdBy,
        created_at: w.createdAt.getTime(),
      })
      .execute();
  }

  async updateWebhook(id: string, patch: Partial<Pick<Webhook, 'name' | 'url' | 'secret' | 'events' | 'format' | 'enabled'>>): Promise<void> {
    const set: Partial<Selectable<WebhooksTable>> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.secret !== undefined) set.secret = patch.secret;
    if (patch.events !== undefined) set.events = JSON.stringify(patch.events);
    if (patch.format !== undefined) set.format = patch.format;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('webhooks').set(set).where('id', '=', id).execute();
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.db.deleteFrom('notification_deliveries').where('webhook_id', '=', id).execute();
    await this.db.deleteFrom('webhooks').where('id', '=', id).execute();
  }

  async webhookById(id: string): Promise<Webhook | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toWebhook(row);
  }

  async webhooks(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('created_at').execute()).map(toWebhook);
  }

  async insertDeliveries(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db
      .insertInto('notification_deliveries')
      .values(
        deliveries.map((d) => ({
          id: d.id,
          event_id: d.eventId,
          channel: d.channel,
          webhook_id: d.webhookId,
          recipient: d.recipient,
          status: d.status,
          attempts: d.attempts,
          next_attempt_at: toMsOrNull(d.nextAttemptAt),
          last_attempt_at: toMsOrNull(d.lastAttemptAt),
          last_status: d.lastStatus,
          last_error: d.lastError,
          created_at: d.createdAt.getTime(),
        })),
      )
      .execute();
  }

  async dueDeliveries(now: Date, limit: number): Promise<DueDelivery[]> {
    const rows = await this.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notification_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select(['e.type as e_type', 'e.occurred_at as e_occurred_at', 'e.payload as e_payload', 'e.fanned_out_at as e_fanned_out_at'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now.getTime())
      .orderBy('d.next_attempt_at')
      .limit(limit)
      .execute();
    const webhookIds = [...new Set(rows.map((r) => r.webhook_id).filter((id): id is string => id !== null))];
    const webhooks = new Map(
      webhookIds.length === 0
        ? []
        : (await this.db.selectFrom('webhooks').selectAll().where('id', 'in', webhookIds).execute()).map((r) => [r.id, toWebhook(r)] as const),
    );
    return rows.map((r) => ({
      delivery: toDelivery(r, r.e_type),
      event: toEvent({ id: r.event_id, type: r.e_type, occurred_at: r.e_occurred_at, payload: r.e_payload, fanned_out_at: r.e_fanned_out_at }),
      webhook: r.webhook_id === null ? null : (webhooks.get(r.webhook_id) ?? null),
    }));
  }

  async claimDelivery(id: string, expected: Date, until: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_deliveries')
      .set({ next_attempt_at: until.getTime() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', expected.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordAttempt(
    id: string,
    o: Pick<Delivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatus' | 'lastError'>,
  ): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({
        status: o.status,
        attempts: o.attempts,
        next_attempt_at: toMsOrNull(o.nextAttemptAt),
        last_attempt_at: toMsOrNull(o.lastAttemptAt),
        last_status: o.lastStatus,
        last_error: o.lastError,
      })
      .where('id', '=', id)
      .execute();
  }

  async prune(before: Date): Promise<void> {
    await this.db
      .deleteFrom('notification_deliveries')
      .where('status', 'in', ['delivered', 'failed'])
      .where('created_at', '<', before.getTime())
      .execute();
    await this.db
      .deleteFrom('notification_events')
      .where('fanned_out_at', 'is not', null)
      .where('occurred_at', '<', before.getTime())
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notification_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'notification_events.id'))))
      .execute();
  }

  async deliveriesOf(webhookId: string, limit: number): Promise<Delivery[]> {
    const rows = await this.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notification_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type as e_type')
      .where('d.webhook_id', '=', webhookId)
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => toDelivery(r, r.e_type));
  }

  async expiryCandidates(now: Date, windowMs: number, minLifetimeMs: number, limit: number): Promise<ExpiryCandidate[]> {
    const nowMs = now.getTime();
    const candidates = (state: ExpiryState) => {
      let q = this.db
        .selectFrom('tokens as t')
        .select(['t.id', 't.name', 't.username', 't.created_by', 't.expires_at'])
        .where('t.revoked_at', 'is', null)
        .where('t.expires_at', 'is not', null)
        // Short-lived tokens (CI exchanges, credential-helper tokens) expire by design: nobody is warned of them.
        .where((eb) => eb(eb('t.expires_at', '-', eb.ref('t.created_at')), '>', minLifetimeMs))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('token_expiry_notices as n').select('n.token_id').whereRef('n.token_id', '=', 't.id').where('n.state', '=', state))),
        );
      q = state === 'expired' ? q.where('t.expires_at', '<=', nowMs) : q.where('t.expires_at', '>', nowMs).where('t.expires_at', '<=', nowMs + windowMs);
      return q.orderBy('t.expires_at').limit(limit).execute();
    };
    const out: ExpiryCandidate[] = [];
    for (const state of ['expired', 'expiring_soon'] as const) {
      for (const r of await candidates(state)) {
        out.push({ tokenId: r.id, name: r.name, username: r.username, createdBy: r.created_by, expiresAt: toDate(r.expires_at ?? 0), state });
      }
    }
    return out.slice(0, limit);
  }

  async recordExpiryNotice(tokenId: string, state: ExpiryState, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('token_expiry_notices')
      .values({ token_id: tokenId, state, notified_at: at.getTime() })
      .onConflict((oc) => oc.columns(['token_id', 'state']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
