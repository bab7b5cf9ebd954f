import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../audit/audit-log.js';
import type { NotificationEvent, NotificationEventType } from './model.js';

/**
 * Which audited changes are also announced, and as which event. The audit log writes the announcement to the
 * outbox in the same transaction as its own row, so every service that audits a change notifies of it
 * without knowing about notifications (and the lead's rotation, auditing `token.rotated`, does too).
 */
export function announcementOf(entry: AuditEntry, at: Date): NotificationEvent | undefined {
  const type = eventTypeOf(entry);
  if (!type) return undefined;
  return {
    id: randomUUID(),
    type,
    occurredAt: at,
    actor: entry.actor,
    target: { type: entry.target.type, id: entry.target.id ?? null, name: entry.target.name ?? null },
    details: entry.details ?? {},
  };
}

function eventTypeOf(entry: AuditEntry): NotificationEventType | undefined {
  switch (entry.action) {
    case 'token.revoked':
      // A leak report's revocation is its own event: receivers act differently on it (rotate, investigate).
      return entry.details?.reason === 'leaked' ? 'token.leaked' : 'token.revoked';
    case 'token.created':
    case 'token.rotated':
    case 'token.expiring_soon':
    case 'token.expired':
    case 'release.created':
      return entry.action;
    default:
      return undefined;
  }
}
