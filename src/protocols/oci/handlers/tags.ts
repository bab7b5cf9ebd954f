import type { OciContext } from '../route.js';
import { H } from './headers.js';
import { nextLink, pageOf } from './pagination.js';

/** `GET /v2/<name>/tags/list?n=&last=`: tags in lexical order, with a `Link` to the next page. */
export async function listTags(c: OciContext): Promise<unknown> {
  const name = c.params.name as string;
  const { limit, last } = pageOf(c.query);
  const page = await c.registry.manifests.tags(name, limit, last);
  const link = nextLink(`/v2/${name}/tags/list`, limit, page.tags.at(-1), page.more);
  if (link) void c.reply.header(H.link, link);
  return c.reply.send({ name, tags: page.tags });
}
