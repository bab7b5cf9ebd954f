import type { Kysely } from 'kysely';
import type { AuditEvent } from '../../../core/model.js';
import type { AuditQuery, AuditStore } from '../../../core/ports.js';
import type { NotificationEvent } from '../../../core/notifications/model.js';
import { toDate } from '../rows.js';
import { SqlNotificationStore } from './notifications.js';
import type { Database } from '../schema.js';

/** Append-only: this store has no update or delete. */
export class SqlAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: Omit<AuditEvent, 'id'>, announce?: NotificationEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        at: e.at.getTime(),
        actor: e.actor,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        target_name: e.targetName,
        ip: e.ip,
        details: JSON.stringify(e.details),
      })
      .execute();
    // Same connection or transaction as the audit row: the announcement lands exactly when the change does.
    if (announce) await new SqlNotificationStore(this.db).enqueue(announce);
  }

  async list(q: AuditQuery): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: toDate(r.at),
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      targetName: r.target_name,
      ip: r.ip,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
