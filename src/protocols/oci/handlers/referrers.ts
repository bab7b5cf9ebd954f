import { parseDigest } from '../../../core/oci/names.js';
import type { OciContext } from '../route.js';
import { H } from './headers.js';

/** `GET /v2/<name>/referrers/<digest>?artifactType=`: the manifests whose subject is that digest. */
export async function listReferrers(c: OciContext): Promise<unknown> {
  const subject = parseDigest(c.params.digest);
  const artifactType = c.query.get('artifactType') || undefined;
  const index = await c.registry.manifests.referrers(c.params.name as string, subject, artifactType);
  if (artifactType !== undefined) void c.reply.header(H.filtersApplied, 'artifactType');
  // A Buffer keeps Fastify from appending a charset to the index media type.
  return c.reply.header(H.contentType, index.mediaType).send(Buffer.from(JSON.stringify(index)));
}
