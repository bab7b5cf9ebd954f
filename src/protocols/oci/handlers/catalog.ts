import { listCatalog } from '../../../core/oci/catalog.js';
import type { OciContext } from '../route.js';
import { H } from './headers.js';
import { nextLink, pageOf } from './pagination.js';

/**
 * `GET /v2/_catalog`: the repositories the caller may pull. A bearer token's catalog scope lists every
 * repository its Fly token may pull (as Docker's registry does), so the listing reads the grants, not the scope.
 */
export async function catalog(c: OciContext): Promise<unknown> {
  const { limit, last } = pageOf(c.query);
  const page = await listCatalog(c.registry.store, { ...c.principal, scope: null }, limit, last);
  const link = nextLink('/v2/_catalog', limit, page.repositories.at(-1), page.more);
  if (link) void c.reply.header(H.link, link);
  return c.reply.send({ repositories: page.repositories });
}
