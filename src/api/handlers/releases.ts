import { z } from 'zod';
import type { Core } from '../../core/core.js';
import type { Release as ReleaseRecord } from '../../core/releases/model.js';
import { createReleaseInput, releaseSearchQuery } from '../../core/releases/release-input.js';
import { parseInput } from '../../core/validation.js';
import { PROTOCOLS } from '../../protocols/registry.js';
import type { PublicationList, Release, ReleasePage } from '../answers.js';
import type { ApiRoute } from '../route.js';
import { publicationAnswer, releaseAnswer } from '../serialize.js';

/** Releases as answered, with who published their artifacts (one query for the whole page). */
async function withPublishers(core: Core, releases: ReleaseRecord[]): Promise<Release[]> {
  const publishers = await core.publications.latestFor(releases.flatMap((r) => r.artifacts));
  return releases.map((r) => releaseAnswer(r, publishers));
}

async function oneWithPublishers(core: Core, release: ReleaseRecord): Promise<Release> {
  return releaseAnswer(release, await core.publications.latestFor(release.artifacts));
}

const publicationsQuery = z.strictObject({
  type: z.enum(PROTOCOLS.map((p) => p.id) as [string, ...string[]], { error: `must be one of ${PROTOCOLS.map((p) => p.id).join(', ')}` }),
  name: z.string().min(1).max(255),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const releaseRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/releases',
    summary: 'Record a release (read & write token or session): name, version, artifacts that exist, source, notes',
    auth: 'principal',
    status: 201,
    body: createReleaseInput(PROTOCOLS),
    handler: async ({ core, principal, request, ctx }): Promise<Release> =>
      oneWithPublishers(core, await core.releases.create(principal, request.body, ctx)),
  },
  {
    method: 'GET',
    path: '/api/v1/releases',
    summary: 'Releases, newest first (?name=&version=&digest=&artifact=&limit=&before=)',
    auth: 'principal',
    query: releaseSearchQuery,
    async handler({ core, principal, request }): Promise<ReleasePage> {
      const { releases, nextBefore } = await core.releases.search(principal, request.query);
      return { releases: await withPublishers(core, releases), nextBefore };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/releases/:id',
    summary: 'Show one release',
    auth: 'principal',
    handler: async ({ core, principal, params }): Promise<Release> =>
      oneWithPublishers(core, await core.releases.get(principal, params.id ?? '')),
  },
  {
    method: 'GET',
    path: '/api/v1/publications',
    summary: 'Who or what published an artifact, newest first (?type=oci|npm|pypi&name=&limit=): actor, token, CI run',
    auth: 'principal',
    query: publicationsQuery,
    async handler({ core, principal, request }): Promise<PublicationList> {
      const query = parseInput(publicationsQuery, request.query, 'Query');
      return { publications: (await core.publications.list(principal, query)).map(publicationAnswer) };
    },
  },
];
