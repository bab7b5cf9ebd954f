import type { NpmWebLoginRequest } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { npmWebLoginAnswer } from '../serialize.js';

/** Approve and deny differ only in the decision they record. */
function decisionRoute(decision: 'approve' | 'deny', summary: string): ApiRoute {
  return {
    method: 'POST',
    path: `/api/v1/npm-logins/:id/${decision}`,
    summary,
    auth: 'principal',
    handler: async ({ core, principal, params, ctx }): Promise<NpmWebLoginRequest> =>
      npmWebLoginAnswer(await core.npmWebLogins[decision](principal, params.id ?? '', ctx)),
  };
}

/** The approval page of `npm login --auth-type=web` (the npm side lives in protocols/npm). */
export const npmLoginRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/npm-logins/:id',
    summary: 'Show an `npm login` waiting for approval: the hostname npm sent, its address and when',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<NpmWebLoginRequest> => npmWebLoginAnswer(await core.npmWebLogins.view(principal, params.id ?? '')),
  },
  decisionRoute('approve', "Approve an `npm login`: npm's next poll receives a new read & write token of yours"),
  decisionRoute('deny', 'Deny an `npm login`: npm stops waiting and no token is created'),
];
