import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import type { AuditStore } from '../ports.js';
import { parseInput } from '../validation.js';
import type { AuditEvent } from '../model.js';

export const auditPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

/** Newest first, keyset-paginated by event id: `nextBefore` fetches the following page. */
export async function listAudit(
  store: AuditStore,
  actor: Principal,
  query: unknown,
): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
  authorize(actor, 'pull', { kind: 'audit' });
  const { limit, before } = parseInput(auditPageQuery, query, 'Query');
  const events = await store.list({ limit, before });
  const last = events.at(-1);
  return { events, nextBefore: events.length === limit && last ? last.id : null };
}
