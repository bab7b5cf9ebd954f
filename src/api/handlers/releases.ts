import { createReleaseInput, releaseSearchQuery } from '../../core/releases/release-input.js';
import { PROTOCOLS } from '../../protocols/registry.js';
import type { Release, ReleasePage } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { releaseAnswer } from '../serialize.js';

export const releaseRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/releases',
    summary: 'Record a release (read & write token or session): name, version, artifacts that exist, source, notes',
    auth: 'principal',
    status: 201,
    body: createReleaseInput(PROTOCOLS),
    handler: async ({ core, principal, request, ctx }): Promise<Release> => releaseAnswer(await core.releases.create(principal, request.body, ctx)),
  },
  {
    method: 'GET',
    path: '/api/v1/releases',
    summary: 'Releases, newest first (?name=&version=&digest=&artifact=&limit=&before=)',
    auth: 'principal',
    query: releaseSearchQuery,
    async handler({ core, principal, request }): Promise<ReleasePage> {
      const { releases, nextBefore } = await core.releases.search(principal, request.query);
      return { releases: releases.map(releaseAnswer), nextBefore };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/releases/:id',
    summary: 'Show one release',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<Release> => releaseAnswer(await core.releases.get(principal, params.id ?? '')),
  },
];
