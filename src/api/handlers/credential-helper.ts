import { Errors } from '../../core/errors.js';
import { helperTokenInput } from '../../core/tokens/credential-helper.js';
import { credentialOf } from '../../http/credentials.js';
import type { HelperTokenAnswer, HelperTokensRevoked } from '../answers.js';
import type { ApiRoute } from '../route.js';

/** `docker-credential-flyreg`'s calls: a short-lived token derived from the caller's login session. */
export const credentialHelperRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/credential-helper/token',
    summary: "The login session's short-lived (1 h) registry token for docker-credential-flyreg: the same one again until 5 minutes before it expires",
    auth: 'principal',
    body: helperTokenInput,
    async handler({ core, principal, request, ctx }): Promise<HelperTokenAnswer> {
      const credential = credentialOf(request);
      // The token's secret is derived from the session's: only a session credential can ask for it.
      if (!credential || credential.kind === 'basic' || !principal.session) {
        throw Errors.forbidden('Credential helper tokens are minted for a login session (flyreg login), not for a registry token');
      }
      const { token, secret, reused } = await core.credentialHelper.token(principal, credential.secret, request.body, ctx);
      return { id: token.id, username: token.username, token: secret, expiresAt: token.expiresAt?.toISOString() ?? '', reused };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/credential-helper/token',
    summary: "Revoke the login session's credential helper tokens (docker-credential-flyreg erase; logout does it too)",
    auth: 'principal',
    handler: async ({ core, principal, ctx }): Promise<HelperTokensRevoked> => ({ revoked: await core.credentialHelper.erase(principal, ctx) }),
  },
];
