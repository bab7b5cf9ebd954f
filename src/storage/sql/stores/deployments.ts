import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { deploymentKey, foldPulls } from '../../../core/environments/deployment-fold.js';
import type { AttributedPull, Deployment } from '../../../core/environments/model.js';
import type { DeploymentStore, TimelineQuery } from '../../../core/environments/ports.js';
import { imageKey, type ImageRef } from '../../../core/releases/ports.js';
import type { SqlEngine } from '../database.js';
import { toDate } from '../rows.js';
import type { Database, DeploymentsTable } from '../schema.js';

/** Rows per multi-row INSERT: well under both engines' bound-parameter limits at 10 columns. */
const INSERT_CHUNK = 1000;

/** Serialises aggregate updates between replicas: "fly-registry deployments". */
const PG_DEPLOYMENTS_LOCK = 724_113_906;

export const toDeployment = (r: Selectable<DeploymentsTable>): Deployment => ({
  id: r.id,
  environmentId: r.environment_id,
  repository: r.repository,
  run: Number(r.run),
  digest: r.digest,
  tag: r.tag,
  firstSeen: toDate(r.first_seen),
  lastSeen: toDate(r.last_seen),
  pullCount: Number(r.pull_count),
});

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export class SqlDeploymentStore implements DeploymentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  async recordPulls(batch: AttributedPull[]): Promise<Deployment[]> {
    if (batch.length === 0) return [];
    const write = async (db: Kysely<Database>): Promise<Deployment[]> => {
      // Two replicas folding pulls of the same repository at once would both start "the next run".
      if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(${PG_DEPLOYMENTS_LOCK})`.execute(db);
      const environmentIds = [...new Set(batch.map((p) => p.environmentId))];
      const live = new Set(
        (await db.selectFrom('environments').select('id').where('id', 'in', environmentIds).execute()).map((r) => r.id),
      );
      const pulls = live.size === environmentIds.length ? batch : batch.filter((p) => live.has(p.environmentId));
      if (pulls.length === 0) return [];

      for (const chunk of chunks(
        pulls.filter((p) => p.newPull),
        INSERT_CHUNK,
      )) {
        await db
          .insertInto('pull_events')
          .values(
            chunk.map((p) => ({
              environment_id: p.environmentId,
              token_id: p.tokenId,
              repository: p.repository,
              tag: p.tag,
              digest: p.digest,
              method: p.method,
              at: p.at.getTime(),
              ip: p.ip,
              client: p.client,
            })),
          )
          .execute();
      }

      const current = await this.latestRuns(db, pulls);
      const { inserted, updated } = foldPulls(current, pulls, randomUUID);
      for (const chunk of chunks(inserted, INSERT_CHUNK)) {
        await db
          .insertInto('deployments')
          .values(
            chunk.map((d) => ({
              id: d.id,
              environment_id: d.environmentId,
              repository: d.repository,
              run: d.run,
              digest: d.digest,
              tag: d.tag,
              first_seen: d.firstSeen.getTime(),
              last_seen: d.lastSeen.getTime(),
              pull_count: d.pullCount,
            })),
          )
          .execute();
      }
      for (const d of updated) {
        await db
          .updateTable('deployments')
          .set({ tag: d.tag, last_seen: d.lastSeen.getTime(), pull_count: d.pullCount })
          .where('id', '=', d.id)
          .execute();
      }
      return inserted;
    };
    if (this.db.isTransaction) return write(this.db);
    return this.db.transaction().execute(write);
  }

  /** The latest run of every (environment, repository) the pulls touch, keyed by deploymentKey(). */
  private async latestRuns(db: Kysely<Database>, pulls: readonly AttributedPull[]): Promise<Map<string, Deployment>> {
    const environmentIds = [...new Set(pulls.map((p) => p.environmentId))];
    const repositories = [...new Set(pulls.map((p) => p.repository))];
    const rows = await db
      .selectFrom('deployments as d')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('deployments')
            .select(['environment_id', 'repository', (e) => e.fn.max('run').as('run')])
            .where('environment_id', 'in', environmentIds)
            .where('repository', 'in', repositories)
            .groupBy(['environment_id', 'repository'])
            .as('m'),
        (join) => join.onRef('m.environment_id', '=', 'd.environment_id').onRef('m.repository', '=', 'd.repository').onRef('m.run', '=', 'd.run'),
      )
      .selectAll('d')
      .execute();
    return new Map(rows.map((r) => [deploymentKey(r.environment_id, r.repository), toDeployment(r)]));
  }

  async timeline(environmentId: string, query: TimelineQuery): Promise<Deployment[]> {
    let q = this.db.selectFrom('deployments').selectAll().where('environment_id', '=', environmentId);
    if (query.repository !== undefined) q = q.where('repository', '=', query.repository);
    const after = query.after;
    if (after) {
      const op = query.order === 'asc' ? '>' : '<';
      const at = after.firstSeen.getTime();
      q = q.where((eb) => eb.or([eb('first_seen', op, at), eb.and([eb('first_seen', '=', at), eb('id', op, after.id)])]));
    }
    const rows = await q.orderBy('first_seen', query.order).orderBy('id', query.order).limit(query.limit).execute();
    return rows.map(toDeployment);
  }

  async current(environmentId: string): Promise<Deployment[]> {
    const rows = await this.db
      .selectFrom('deployments as d')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('deployments')
            .select(['repository', (e) => e.fn.max('run').as('run')])
            .where('environment_id', '=', environmentId)
            .groupBy('repository')
            .as('m'),
        (join) => join.onRef('m.repository', '=', 'd.repository').onRef('m.run', '=', 'd.run'),
      )
      .selectAll('d')
      .where('d.environment_id', '=', environmentId)
      .orderBy('d.repository')
      .execute();
    return rows.map(toDeployment);
  }

  async indexesListing(images: ImageRef[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    if (images.length === 0) return result;
    const wanted = new Set(images.map(imageKey));
    const rows = await this.db
      .selectFrom('oci_manifest_references as m')
      .innerJoin('oci_repositories as r', 'r.id', 'm.repository_id')
      .select(['r.name as repository', 'm.child_digest', 'm.manifest_digest'])
      .where('m.kind', '=', 'manifest')
      .where('m.child_digest', 'in', [...new Set(images.map((i) => i.digest))])
      .execute();
    for (const row of rows) {
      const key = imageKey({ repository: row.repository, digest: row.child_digest });
      if (!wanted.has(key)) continue;
      const parents = result.get(key) ?? new Set<string>();
      parents.add(row.manifest_digest);
      result.set(key, parents);
    }
    return result;
  }
}
