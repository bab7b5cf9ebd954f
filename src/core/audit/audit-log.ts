import type { RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { AuditEvent } from '../model.js';
import type { AuditStore } from '../ports.js';
import { announcementOf } from '../notifications/announce.js';

export type AuditAction =
  | 'token.created'
  | 'token.revoked'
  | 'token.deleted'
  | 'token.rotated'
  | 'token.expiring_soon'
  | 'token.expired'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'user.invited'
  | 'user.activated'
  | 'user.role_changed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.password_reset'
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'environment.created'
  | 'environment.updated'
  | 'environment.deleted'
  | 'release.created'
  | 'package.published'
  | 'package.changed'
  | 'package.unpublished'
  | 'package.deleted'
  | 'package.tag_deleted'
  | 'package.yanked'
  | 'package.unyanked'
  | 'user.invitation_resent'
  | 'user.deleted'
  | 'share_link.created'
  | 'share_link.revoked'
  | 'package.tag_set'
  | 'package.tag_removed'
  | 'image.manifest_deleted'
  | 'image.tag_deleted'
  | 'image.blob_deleted'
  | 'npm_login.approved'
  | 'npm_login.denied'
  | 'npm_login.token_issued'
  | 'trust_policy.created'
  | 'trust_policy.deleted';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  target: { type: string; id?: string | null; name?: string | null };
  details?: Record<string, unknown>;
}

/**
 * Writes audit events through the given store (pass a transaction's store to land with the change). Changes
 * that are also notification events (notifications/announce.ts) go to the outbox with their audit row.
 */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  record(store: AuditStore, entry: AuditEntry, ctx: RequestContext | null): Promise<void> {
    const event: Omit<AuditEvent, 'id'> = {
      at: this.clock.now(),
      actor: entry.actor,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id ?? null,
      targetName: entry.target.name ?? null,
      ip: ctx?.ip ?? null,
      details: entry.details ?? {},
    };
    return store.append(event, announcementOf(entry, event.at));
  }
}
