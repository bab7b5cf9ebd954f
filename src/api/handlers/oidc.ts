import { createPolicyInput, exchangeInput } from '../../core/oidc/policy-input.js';
import type { Deleted, OidcExchange, TrustPolicy, TrustPolicyList } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { createdTokenAnswer, trustPolicyAnswer } from '../serialize.js';

/** OIDC exchange for CI: trust policies (admins) and the exchange itself (no credential but the ID token). */
export const oidcRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/oidc/policies',
    summary: 'List the OIDC trust policies: which CI jobs (issuer, audience, claim rules) may get a short-lived token',
    auth: 'principal',
    handler: async ({ core, principal }): Promise<TrustPolicyList> => ({ policies: (await core.oidc.listPolicies(principal)).map(trustPolicyAnswer) }),
  },
  {
    method: 'POST',
    path: '/api/v1/oidc/policies',
    summary: 'Create a trust policy (admins): issuer, audience, claim rules (exact or `*` globs), permission, optional environment, scope and token TTL (≤ 3600 s)',
    auth: 'principal',
    status: 201,
    body: createPolicyInput,
    handler: async ({ core, principal, request, ctx }): Promise<TrustPolicy> => trustPolicyAnswer(await core.oidc.createPolicy(principal, request.body, ctx)),
  },
  {
    method: 'GET',
    path: '/api/v1/oidc/policies/:id',
    summary: 'Show one trust policy (by id or name)',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<TrustPolicy> => trustPolicyAnswer(await core.oidc.getPolicy(principal, params.id ?? '')),
  },
  {
    method: 'DELETE',
    path: '/api/v1/oidc/policies/:id',
    summary: 'Delete a trust policy (admins): no new exchanges; tokens it issued run out on their own',
    auth: 'principal',
    async handler({ core, principal, params, ctx }): Promise<Deleted> {
      await core.oidc.deletePolicy(principal, params.id ?? '', ctx);
      return { deleted: true };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/oidc/exchange',
    summary: "Exchange a CI job's OIDC ID token (`token`) for a short-lived registry token; `policy` picks one when several match",
    auth: 'public',
    status: 201,
    body: exchangeInput,
    async handler({ core, request, ctx }): Promise<OidcExchange> {
      const { issued, policy, provenance } = await core.oidc.exchange(request.body, ctx);
      return { ...createdTokenAnswer(issued, provenance), trustPolicy: policy.name };
    },
  },
];
