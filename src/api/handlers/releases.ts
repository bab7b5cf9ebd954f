import { createReleaseInput, releaseSearchQuery } from '../../core/releases/release-input.js';
import type { ApiRoute } from '../route.js';

export const releaseRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/releases',
    summary: 'Record a release (read & write token or session): name, version, artifacts that exist, source, notes',
    auth: 'principal',
    status: 201,
    body: createReleaseInput,
    handler: ({ core, principal, request, ctx }) => core.releases.create(principal, request.body, ctx),
  },
  {
    method: 'GET',
    path: '/api/v1/releases',
    summary: 'Releases, newest first (?name=&version=&digest=&artifact=&limit=&before=)',
    auth: 'principal',
    query: releaseSearchQuery,
    handler: ({ core, principal, request }) => core.releases.search(principal, request.query),
  },
  {
    method: 'GET',
    path: '/api/v1/releases/:id',
    summary: 'Show one release',
    auth: 'principal',
    handler: ({ core, principal, params }) => core.releases.get(principal, params.id ?? ''),
  },
];
