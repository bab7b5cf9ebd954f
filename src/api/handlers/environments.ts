import { compareQuery, timelineQuery } from '../../core/environments/deployment-service.js';
import {
  createEnvironmentInput,
  deleteEnvironmentQuery,
  environmentTokenInput,
  updateEnvironmentInput,
} from '../../core/environments/environment-service.js';
import { kubernetesSecretInput } from '../../core/tokens/kubernetes-secret.js';
import { kubernetesQuery } from '../kubernetes-query.js';
import type { ApiRoute } from '../route.js';

export const environmentRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/environments',
    summary: 'List runtime environments',
    auth: 'principal',
    handler: async ({ core, principal }) => ({ environments: await core.environments.list(principal) }),
  },
  {
    method: 'POST',
    path: '/api/v1/environments',
    summary: 'Create an environment, optionally with its first token (`token`); ?namespace=&secretName= shape the pull secret',
    auth: 'principal',
    status: 201,
    body: createEnvironmentInput,
    query: kubernetesSecretInput,
    handler: ({ core, principal, request, ctx }) => core.environments.create(principal, request.body, ctx, kubernetesQuery(request.query)),
  },
  {
    // Before /:name, so "compare" is never taken for an environment name.
    method: 'GET',
    path: '/api/v1/environments/compare',
    summary: 'Repositories whose running images differ between environments ?a= and ?b=, with their releases',
    auth: 'principal',
    query: compareQuery,
    handler: ({ core, principal, request }) => core.deployments.compare(principal, request.query),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name',
    summary: "An environment's profile, with its tokens",
    auth: 'principal',
    handler: ({ core, principal, params }) => core.environments.get(principal, params.name ?? ''),
  },
  {
    method: 'PATCH',
    path: '/api/v1/environments/:name',
    summary: "Change an environment's description or colour",
    auth: 'principal',
    body: updateEnvironmentInput,
    handler: ({ core, principal, params, request, ctx }) => core.environments.update(principal, params.name ?? '', request.body, ctx),
  },
  {
    method: 'DELETE',
    path: '/api/v1/environments/:name',
    summary: 'Delete an environment (needs ?confirm=true): revokes its tokens; the audit log keeps its history',
    auth: 'principal',
    query: deleteEnvironmentQuery,
    async handler({ core, principal, params, request, ctx }) {
      const { revokedTokens } = await core.environments.delete(principal, params.name ?? '', request.query, ctx);
      return { deleted: true, revokedTokens };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/environments/:name/tokens',
    summary: 'Create another token for the environment (read-only unless asked); the answer holds the secret once',
    auth: 'principal',
    status: 201,
    body: environmentTokenInput,
    query: kubernetesSecretInput,
    handler: ({ core, principal, params, request, ctx }) =>
      core.environments.createToken(principal, params.name ?? '', request.body, ctx, kubernetesQuery(request.query)),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/deployments',
    summary: 'Deployment timeline derived from pulls (?order=asc|desc&limit=&repository=&cursor=)',
    auth: 'principal',
    query: timelineQuery,
    handler: ({ core, principal, params, request }) => core.deployments.timeline(principal, params.name ?? '', request.query),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/state',
    summary: 'What runs in the environment now, per repository',
    auth: 'principal',
    handler: ({ core, principal, params }) => core.deployments.state(principal, params.name ?? ''),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/drift',
    summary: 'Per running repository: up-to-date, behind (by how many releases) or unknown',
    auth: 'principal',
    handler: ({ core, principal, params }) => core.deployments.drift(principal, params.name ?? ''),
  },
];
