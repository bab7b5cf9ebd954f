import { catalogActionInput, catalogQuery, cursorText, parseCursor } from '../../core/packages/catalog/catalog-input.js';
import { parseInput } from '../../core/validation.js';
import type { PackageDetail, PackagePage } from '../answers.js';
import { packageDetailAnswer, packageEntryAnswer } from '../package-serialize.js';
import type { ApiRoute } from '../route.js';

/** Names hold slashes (`team/app`, `@scope/pkg`): clients send them URL-encoded as one path segment. */
export const packageRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/packages',
    summary: 'Everything stored, across protocols, in name order (?q=&protocol=&limit=&after=<next>)',
    auth: 'principal',
    query: catalogQuery,
    async handler({ catalog, principal, request }): Promise<PackagePage> {
      const query = parseInput(catalogQuery, request.query, 'Query');
      const page = await catalog.list(principal, { text: query.q || undefined, protocol: query.protocol, limit: query.limit, after: parseCursor(query.after) });
      return { packages: page.entries.map(packageEntryAnswer), next: page.next && cursorText(page.next), protocols: catalog.protocols() };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/packages/:protocol/:name',
    summary: 'One package or repository: versions/tags, digests, sizes, platforms, publishers, where it runs, releases, allowed actions',
    auth: 'principal',
    handler: async ({ catalog, principal, params }): Promise<PackageDetail> =>
      packageDetailAnswer(await catalog.get(principal, params.protocol ?? '', params.name ?? '')),
  },
  {
    method: 'POST',
    path: '/api/v1/packages/:protocol/:name/actions/:action',
    summary: 'delete (OCI tag or digest, npm version), deprecate/undeprecate (npm), yank/unyank (PyPI); answers the package as it is now',
    auth: 'principal',
    body: catalogActionInput,
    async handler({ catalog, principal, params, request, ctx }): Promise<PackageDetail | { deleted: true }> {
      const input = parseInput(catalogActionInput, request.body ?? {});
      await catalog.act(principal, params.protocol ?? '', params.name ?? '', params.action ?? '', input, ctx);
      // Unpublishing npm's last version removes the package itself.
      return catalog.get(principal, params.protocol ?? '', params.name ?? '').then(packageDetailAnswer, () => ({ deleted: true as const }));
    },
  },
];
