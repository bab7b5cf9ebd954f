import { auditPageQuery, listAudit } from '../../core/audit/audit-queries.js';
import type { AuditPage } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { auditEventAnswer } from '../serialize.js';

export const auditRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'The audit log, newest first (admins); page with ?limit=&before=<nextBefore>',
    auth: 'principal',
    query: auditPageQuery,
    async handler({ core, principal, request }): Promise<AuditPage> {
      const { events, nextBefore } = await listAudit(core.store.audit, principal, request.query);
      return { events: events.map(auditEventAnswer), nextBefore };
    },
  },
];
