import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import type { AuditStore } from '../ports.js';
import { keysetPage } from '../keyset-page.js';
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
  const { items, next } = keysetPage(await store.list({ limit: limit + 1, before }), limit, (e) => e.id);
  return { events: items, nextBefore: next };
}
