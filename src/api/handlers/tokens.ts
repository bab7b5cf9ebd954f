import { kubernetesSecretInput } from '../../core/tokens/kubernetes-secret.js';
import { createTokenInput } from '../../core/tokens/token-service.js';
import { kubernetesQuery } from '../kubernetes-query.js';
import { rotateTokenInput } from '../../core/tokens/rotation.js';
import { scopePreviewInput } from '../../core/tokens/scope-preview.js';
import type { CreatedToken, Deleted, RevokedToken, RotatedToken, ScopePreview, Token, TokenList } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { createdTokenAnswer, rotatedTokenAnswer, tokenAnswer } from '../serialize.js';

export const tokenRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/tokens',
    summary: "List the team's tokens (never their secrets)",
    auth: 'principal',
    async handler({ core, principal }): Promise<TokenList> {
      const tokens = await core.credentialHelper.visible(await core.tokens.list(principal));
      const ids = tokens.map(({ token }) => token.id);
      const [ci, previous] = await Promise.all([core.oidc.provenanceOf(ids), core.tokenRotation.previousSecrets(ids)]);
      return {
        tokens: tokens.map(({ token, credentialHelper }) =>
          tokenAnswer(token, ci.get(token.id) ?? null, credentialHelper, previous.get(token.id) ?? null),
        ),
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/tokens',
    summary:
      'Create a token (`environment` ties it to one; `scope` limits it to resource patterns such as ["oci:team/*", "npm:@acme/*"]): the answer holds the secret and client snippets, shown this once only',
    auth: 'principal',
    status: 201,
    body: createTokenInput,
    query: kubernetesSecretInput,
    handler: async ({ core, principal, request, ctx }): Promise<CreatedToken> =>
      createdTokenAnswer(await core.tokens.create(principal, request.body, ctx, kubernetesQuery(request.query))),
  },
  {
    method: 'POST',
    path: '/api/v1/tokens/scope-preview',
    summary: 'What each scope pattern matches today: up to 20 repository/package names per pattern, only those you may see',
    auth: 'principal',
    body: scopePreviewInput,
    handler: async ({ core, principal, request }): Promise<ScopePreview> => ({ matches: await core.tokens.previewScope(principal, request.body) }),
  },
  {
    method: 'GET',
    path: '/api/v1/tokens/:id',
    summary: 'Show one token',
    auth: 'principal',
    async handler({ core, principal, params }): Promise<Token> {
      const token = await core.tokens.get(principal, params.id ?? '');
      const [ci, previous] = await Promise.all([core.oidc.provenanceOf([token.id]), core.tokenRotation.previousSecrets([token.id])]);
      return tokenAnswer(token, ci.get(token.id) ?? null, false, previous.get(token.id) ?? null);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/tokens/:id/rotate',
    summary:
      'Rotate a token: a new secret (shown this once, with refreshed snippets) for the same token; the old secret keeps working for `overlapSeconds` (default 86400, 0–2592000), then is refused as if revoked. Admins: any token; developers: their own',
    auth: 'principal',
    body: rotateTokenInput,
    query: kubernetesSecretInput,
    handler: async ({ core, principal, params, request, ctx }): Promise<RotatedToken> =>
      rotatedTokenAnswer(await core.tokenRotation.rotate(principal, params.id ?? '', request.body, ctx, kubernetesQuery(request.query))),
  },
  {
    method: 'POST',
    path: '/api/v1/tokens/:id/revoke',
    summary: 'Revoke a token at once and for good (admins: any token; developers: their own)',
    auth: 'principal',
    async handler({ core, principal, params, ctx }): Promise<RevokedToken> {
      const { token, alreadyRevoked } = await core.tokens.revoke(principal, params.id ?? '', ctx);
      return { token: tokenAnswer(token), alreadyRevoked, message: alreadyRevoked ? 'Token was already revoked' : 'Token revoked' };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    summary: 'Delete an expired or revoked token from the list',
    auth: 'principal',
    async handler({ core, principal, params, ctx }): Promise<Deleted> {
      await core.tokens.delete(principal, params.id ?? '', ctx);
      return { deleted: true };
    },
  },
];
