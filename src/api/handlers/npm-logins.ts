import { z } from 'zod';
import { POLL_INTERVAL_SECONDS, webLoginStartInput } from '../../core/npm/web-login.js';
import { parseInput } from '../../core/validation.js';
import type { CliLoginPoll, CliLoginStarted, NpmWebLoginRequest } from '../answers.js';
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

const pollInput = z.strictObject({ secret: z.string().min(1).max(200) });

/**
 * The approval page of `npm login --auth-type=web` (the npm side lives in protocols/npm), and the same
 * requests for `flyreg login` in the browser: the CLI opens one, prints its URL and code, and polls.
 */
export const npmLoginRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/cli-logins',
    summary: '`flyreg login` in the browser: open a login request (`{hostname}`); answers the URL to approve it at, a short code and the poll secret',
    auth: 'public',
    status: 201,
    body: webLoginStartInput,
    async handler({ core, request, ctx }): Promise<CliLoginStarted> {
      const started = await core.npmWebLogins.start(request.body ?? {}, ctx, 'cli');
      return {
        id: started.id,
        loginUrl: started.loginUrl,
        code: started.userCode ?? '',
        pollSecret: started.doneSecret,
        expiresAt: started.expiresAt.toISOString(),
        intervalSeconds: POLL_INTERVAL_SECONDS,
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/cli-logins/:id/poll',
    summary: "The CLI's poll (`{secret}`): pending, then once approved the new login session (denied 403, expired 410, already collected 409)",
    auth: 'public',
    body: pollInput,
    async handler({ core, request, params, ctx }): Promise<CliLoginPoll> {
      const { secret } = parseInput(pollInput, request.body);
      const result = await core.npmWebLogins.poll(params.id ?? '', secret, ctx, 'cli');
      if (result.state === 'pending') return result;
      return { state: 'approved', sessionToken: result.secret, expiresAt: result.expiresAt?.toISOString() ?? '' };
    },
  },
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
