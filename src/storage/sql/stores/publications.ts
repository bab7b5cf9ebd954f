import type { Kysely, Selectable } from 'kysely';
import type { CiProvenance } from '../../../core/oidc/model.js';
import { isImageArtifact, type Publication, type ReleaseArtifact } from '../../../core/releases/model.js';
import { artifactKey, type PublicationStore } from '../../../core/releases/ports.js';
import { writePublisher } from '../../../core/packages/publisher.js';
import { toDate } from '../rows.js';
import type { Database, PublicationsTable } from '../schema.js';

const referenceOf = (a: ReleaseArtifact): string => (isImageArtifact(a) ? a.digest : a.version);
const nameOf = (a: ReleaseArtifact): string => (isImageArtifact(a) ? a.repository : a.name);

// An image is published by digest, a package by version (which never contains ':').
const toArtifact = (r: Selectable<PublicationsTable>): ReleaseArtifact =>
  /^sha(256|512):/.test(r.reference) ? { type: r.type, repository: r.name, digest: r.reference } : { type: r.type, name: r.name, version: r.reference };

const toPublication = (r: Selectable<PublicationsTable>): Publication => ({
  id: Number(r.id),
  artifact: toArtifact(r),
  publishedAt: toDate(r.published_at),
  actor: r.actor,
  userId: r.user_id,
  tokenId: r.token_id,
  tokenName: r.token_name,
  ci: r.ci === null ? null : (JSON.parse(r.ci) as CiProvenance),
  email: r.email,
});

/**
 * The latest publisher of each artifact of `type` (and `names`, when given), as the JSON text of
 * core/packages/publisher.ts, keyed `${name}\n${reference}` (a version, or an image's digest): what package
 * and image views show as "published by", read from the one record of publications. One query.
 */
export async function publisherTexts(db: Kysely<Database>, type: string, names: string[] | null): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (names !== null && names.length === 0) return result;
  let query = db
    .selectFrom('publications as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.name', 'p.reference', 'p.email', 'p.token_name', 'u.username'])
    .where('p.type', '=', type);
  if (names !== null) query = query.where('p.name', 'in', names);
  // Ascending: the last row of an artifact is its latest publication.
  for (const r of await query.orderBy('p.id').execute()) {
    result.set(`${r.name}\n${r.reference}`, writePublisher({ username: r.username, email: r.email, tokenName: r.token_name }));
  }
  return result;
}

export class SqlPublicationStore implements PublicationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(p: Omit<Publication, 'id'>): Promise<void> {
    await this.db
      .insertInto('publications')
      .values({
        type: p.artifact.type,
        name: nameOf(p.artifact),
        reference: referenceOf(p.artifact),
        published_at: p.publishedAt.getTime(),
        actor: p.actor,
        user_id: p.userId,
        token_id: p.tokenId,
        token_name: p.tokenName,
        ci: p.ci === null ? null : JSON.stringify(p.ci),
        email: p.email,
      })
      .execute();
  }

  async list(query: { type: ReleaseArtifact['type']; name: string; limit: number }): Promise<Publication[]> {
    const rows = await this.db
      .selectFrom('publications')
      .selectAll()
      .where('type', '=', query.type)
      .where('name', '=', query.name)
      .orderBy('id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map(toPublication);
  }

  async latestFor(artifacts: ReleaseArtifact[]): Promise<Map<string, Publication>> {
    const result = new Map<string, Publication>();
    if (artifacts.length === 0) return result;
    const rows = await this.db
      .selectFrom('publications')
      .selectAll()
      .where((eb) =>
        eb.or(
          artifacts.map((a) =>
            eb.and([eb('type', '=', a.type), eb('name', '=', nameOf(a)), eb('reference', '=', referenceOf(a))]),
          ),
        ),
      )
      .orderBy('id')
      .execute();
    // Ascending: the last row written for an artifact is its latest publication.
    for (const row of rows) {
      const publication = toPublication(row);
      result.set(artifactKey(publication.artifact), publication);
    }
    return result;
  }
}
