import { auditPageQuery, listAudit } from '../../core/audit/audit-queries.js';
import type { ApiRoute } from '../route.js';

export const auditRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'The audit log, newest first (admins); page with ?limit=&before=<nextBefore>',
    auth: 'principal',
    query: auditPageQuery,
    handler: ({ core, principal, request }) => listAudit(core.store.audit, principal, request.query),
  },
];
