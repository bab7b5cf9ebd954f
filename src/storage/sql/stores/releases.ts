import { sql, type Kysely, type Selectable } from 'kysely';
import { Errors } from '../../../core/errors.js';
import { isImageArtifact, type Release, type ReleaseArtifact, type ReleaseRef } from '../../../core/releases/model.js';
import { imageKey, type ImageRef, type ReleaseSearch, type ReleaseStore } from '../../../core/releases/ports.js';
import { toDate } from '../rows.js';
import type { Database, ReleaseArtifactsTable, ReleasesTable } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';

/** An image artifact stores its digest, a package artifact its version (core/releases/model.ts). */
const toArtifact = (r: Selectable<ReleaseArtifactsTable>): ReleaseArtifact =>
  r.digest !== null ? { type: r.type, repository: r.name, digest: r.digest } : { type: r.type, name: r.name, version: r.version ?? '' };

const toRef = (r: Pick<Selectable<ReleasesTable>, 'id' | 'name' | 'version' | 'created_at'>): ReleaseRef => ({
  id: Number(r.id),
  name: r.name,
  version: r.version,
  createdAt: toDate(r.created_at),
});

export class SqlReleaseStore implements ReleaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(release: Omit<Release, 'id'>): Promise<number> {
    const write = async (db: Kysely<Database>) => {
      const row = await db
        .insertInto('releases')
        .values({
          name: release.name,
          version: release.version,
          notes: release.notes,
          source_commit: release.source.commit,
          source_branch: release.source.branch,
          source_pr: release.source.pr,
          source_author: release.source.author,
          source_url: release.source.url,
          created_at: release.createdAt.getTime(),
          created_by: release.createdBy,
          created_by_token: release.createdByTokenId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      await db
        .insertInto('release_artifacts')
        .values(
          release.artifacts.map((a, position) => ({
            release_id: id,
            position,
            type: a.type,
            name: isImageArtifact(a) ? a.repository : a.name,
            digest: isImageArtifact(a) ? a.digest : null,
            version: isImageArtifact(a) ? null : a.version,
          })),
        )
        .execute();
      return id;
    };
    try {
      return this.db.isTransaction ? await write(this.db) : await this.db.transaction().execute(write);
    } catch (error) {
      if (isUniqueViolation(error)) throw Errors.conflict(`Release ${release.name} ${release.version} already exists: releases are immutable`);
      throw error;
    }
  }

  async byId(id: number): Promise<Release | undefined> {
    const row = await this.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return (await this.withArtifacts([row]))[0];
  }

  async search(query: ReleaseSearch): Promise<Release[]> {
    let q = this.db.selectFrom('releases').selectAll();
    if (query.name !== undefined) q = q.where('name', '=', query.name);
    if (query.version !== undefined) q = q.where('version', '=', query.version);
    if (query.before !== undefined) q = q.where('id', '<', query.before);
    if (query.digest !== undefined) {
      const digest = query.digest;
      q = q.where('id', 'in', (eb) => eb.selectFrom('release_artifacts').select('release_id').where('digest', '=', digest));
    }
    if (query.artifact !== undefined) {
      const name = query.artifact;
      q = q.where('id', 'in', (eb) => eb.selectFrom('release_artifacts').select('release_id').where('name', '=', name));
    }
    const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
    return this.withArtifacts(rows);
  }

  /** Attaches artifacts to a page of releases with one query. */
  private async withArtifacts(rows: Selectable<ReleasesTable>[]): Promise<Release[]> {
    if (rows.length === 0) return [];
    const artifacts = await this.db
      .selectFrom('release_artifacts')
      .selectAll()
      .where(
        'release_id',
        'in',
        rows.map((r) => Number(r.id)),
      )
      .orderBy('release_id')
      .orderBy('position')
      .execute();
    const byRelease = new Map<number, ReleaseArtifact[]>();
    for (const a of artifacts) {
      const list = byRelease.get(Number(a.release_id)) ?? [];
      list.push(toArtifact(a));
      byRelease.set(Number(a.release_id), list);
    }
    return rows.map((r) => ({
      ...toRef(r),
      artifacts: byRelease.get(Number(r.id)) ?? [],
      source: { commit: r.source_commit, branch: r.source_branch, pr: r.source_pr, author: r.source_author, url: r.source_url },
      notes: r.notes,
      createdBy: r.created_by,
      createdByTokenId: r.created_by_token,
    }));
  }

  async latestForRepositories(repositories: string[]): Promise<Map<string, { release: ReleaseRef; digest: string }>> {
    const result = new Map<string, { release: ReleaseRef; digest: string }>();
    if (repositories.length === 0) return result;
    const rows = await this.db
      .selectFrom('release_artifacts as a')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('release_artifacts')
            .select(['name', (e) => e.fn.max('release_id').as('release_id')])
            .where('type', '=', 'oci')
            .where('name', 'in', repositories)
            .groupBy('name')
            .as('m'),
        (join) => join.onRef('m.name', '=', 'a.name').onRef('m.release_id', '=', 'a.release_id'),
      )
      .innerJoin('releases as r', 'r.id', 'a.release_id')
      .select(['a.name as repository', 'a.digest', 'r.id', 'r.name', 'r.version', 'r.created_at'])
      .where('a.type', '=', 'oci')
      .execute();
    for (const row of rows) result.set(row.repository, { release: toRef(row), digest: row.digest ?? '' });
    return result;
  }

  async newestContaining(images: ImageRef[]): Promise<Map<string, ReleaseRef>> {
    const result = new Map<string, ReleaseRef>();
    if (images.length === 0) return result;
    const wanted = new Set(images.map(imageKey));
    // Digests are all but unique, so filtering by digest first and by repository here is exact and cheap.
    const rows = await this.db
      .selectFrom('release_artifacts as a')
      .innerJoin('releases as r', 'r.id', 'a.release_id')
      .select(['a.name as repository', 'a.digest', 'r.id', 'r.name', 'r.version', 'r.created_at'])
      .where('a.type', '=', 'oci')
      .where('a.digest', 'in', [...new Set(images.map((i) => i.digest))])
      .orderBy('r.id')
      .execute();
    for (const row of rows) {
      const key = imageKey({ repository: row.repository, digest: row.digest ?? '' });
      if (wanted.has(key)) result.set(key, toRef(row));
    }
    return result;
  }

  async countNewer(after: { repository: string; releaseId: number }[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (after.length === 0) return result;
    const rows = await this.db
      .selectFrom('release_artifacts')
      .select(['name', (e) => e.fn.count<number>(sql`distinct release_id`).as('newer')])
      .where('type', '=', 'oci')
      .where((eb) => eb.or(after.map((a) => eb.and([eb('name', '=', a.repository), eb('release_id', '>', a.releaseId)]))))
      .groupBy('name')
      .execute();
    for (const row of rows) result.set(row.name, Number(row.newer));
    return result;
  }
}
