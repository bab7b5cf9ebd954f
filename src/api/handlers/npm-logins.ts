import type { NpmWebLoginRequest } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { npmWebLoginAnswer } from '../serialize.js';

/** The approval page of `npm login --auth-type=web` (the npm side lives in protocols/npm). */
export const npmLoginRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/npm-logins/:id',
    summary: 'Show an `npm login` waiting for approval: the hostname npm sent, its address and when',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<NpmWebLoginRequest> => npmWebLoginAnswer(await core.npmWebLogins.view(principal, params.id ?? '')),
  },
  {
    method: 'POST',
    path: '/api/v1/npm-logins/:id/approve',
    summary: "Approve an `npm login`: npm's next poll receives a new read & write token of yours",
    auth: 'principal',
    handler: async ({ core, principal, params, ctx }): Promise<NpmWebLoginRequest> =>
      npmWebLoginAnswer(await core.npmWebLogins.approve(principal, params.id ?? '', ctx)),
  },
  {
    method: 'POST',
    path: '/api/v1/npm-logins/:id/deny',
    summary: 'Deny an `npm login`: npm stops waiting and no token is created',
    auth: 'principal',
    handler: async ({ core, principal, params, ctx }): Promise<NpmWebLoginRequest> =>
      npmWebLoginAnswer(await core.npmWebLogins.deny(principal, params.id ?? '', ctx)),
  },
];
