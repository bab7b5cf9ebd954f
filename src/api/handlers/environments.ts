import { compareQuery, timelineQuery } from '../../core/environments/deployment-service.js';
import {
  createEnvironmentInput,
  deleteEnvironmentQuery,
  environmentTokenInput,
  updateEnvironmentInput,
} from '../../core/environments/environment-service.js';
import { kubernetesSecretInput } from '../../core/tokens/kubernetes-secret.js';
import { kubernetesQuery } from '../kubernetes-query.js';
import type {
  Comparison,
  CreatedEnvironment,
  CreatedToken,
  DeletedEnvironment,
  DeploymentTimeline,
  Environment,
  EnvironmentDrift,
  EnvironmentList,
  EnvironmentProfile,
  EnvironmentState,
} from '../answers.js';
import type { ApiRoute } from '../route.js';
import {
  createdTokenAnswer,
  deploymentAnswer,
  driftAnswer,
  environmentAnswer,
  perRepository,
  runningImageAnswer,
  tokenAnswer,
} from '../serialize.js';

export const environmentRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/environments',
    summary: 'List runtime environments',
    auth: 'principal',
    handler: async ({ core, principal }): Promise<EnvironmentList> => ({ environments: (await core.environments.list(principal)).map(environmentAnswer) }),
  },
  {
    method: 'POST',
    path: '/api/v1/environments',
    summary: 'Create an environment, optionally with its first token (`token`); ?namespace=&secretName= shape the pull secret',
    auth: 'principal',
    status: 201,
    body: createEnvironmentInput,
    query: kubernetesSecretInput,
    async handler({ core, principal, request, ctx }): Promise<CreatedEnvironment> {
      const { environment, token } = await core.environments.create(principal, request.body, ctx, kubernetesQuery(request.query));
      return { environment: environmentAnswer(environment), token: token && createdTokenAnswer(token) };
    },
  },
  {
    // Before /:name, so "compare" is never taken for an environment name.
    method: 'GET',
    path: '/api/v1/environments/compare',
    summary: 'Repositories whose running images differ between environments ?a= and ?b=, with their releases',
    auth: 'principal',
    query: compareQuery,
    async handler({ core, principal, request }): Promise<Comparison> {
      const { a, b, repositories } = await core.deployments.compare(principal, request.query);
      return {
        a,
        b,
        repositories: repositories.map((r) => ({ repository: r.repository, a: r.a && runningImageAnswer(r.a), b: r.b && runningImageAnswer(r.b) })),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name',
    summary: "An environment's profile, with its tokens",
    auth: 'principal',
    async handler({ core, principal, params }): Promise<EnvironmentProfile> {
      const { environment, tokens } = await core.environments.get(principal, params.name ?? '');
      return { ...environmentAnswer(environment), tokens: tokens.map((t) => tokenAnswer(t)) };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/environments/:name',
    summary: "Change an environment's description or colour",
    auth: 'principal',
    body: updateEnvironmentInput,
    handler: async ({ core, principal, params, request, ctx }): Promise<Environment> =>
      environmentAnswer(await core.environments.update(principal, params.name ?? '', request.body, ctx)),
  },
  {
    method: 'DELETE',
    path: '/api/v1/environments/:name',
    summary: 'Delete an environment (needs ?confirm=true): revokes its tokens; the audit log keeps its history',
    auth: 'principal',
    query: deleteEnvironmentQuery,
    async handler({ core, principal, params, request, ctx }): Promise<DeletedEnvironment> {
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
    handler: async ({ core, principal, params, request, ctx }): Promise<CreatedToken> =>
      createdTokenAnswer(await core.environments.createToken(principal, params.name ?? '', request.body, ctx, kubernetesQuery(request.query))),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/deployments',
    summary: 'Deployment timeline derived from pulls (?order=asc|desc&limit=&repository=&cursor=)',
    auth: 'principal',
    query: timelineQuery,
    async handler({ core, principal, params, request }): Promise<DeploymentTimeline> {
      const timeline = await core.deployments.timeline(principal, params.name ?? '', request.query);
      return { environment: timeline.environment, deployments: timeline.deployments.map(deploymentAnswer), nextCursor: timeline.nextCursor };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/state',
    summary: 'What runs in the environment now, per repository',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<EnvironmentState> =>
      perRepository(await core.deployments.state(principal, params.name ?? ''), runningImageAnswer),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name/drift',
    summary: 'Per running repository: up-to-date, behind (by how many releases) or unknown',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<EnvironmentDrift> =>
      perRepository(await core.deployments.drift(principal, params.name ?? ''), driftAnswer),
  },
];
