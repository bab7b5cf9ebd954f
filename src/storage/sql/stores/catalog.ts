import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { CatalogDeployment, CatalogEntry } from '../../../core/packages/catalog/model.js';
import type { CatalogPageQuery, CatalogStore, OciRepositoryContents } from '../../../core/packages/catalog/ports.js';
import type { SqlEngine } from '../database.js';
import { toDate } from '../rows.js';
import { toDeployment } from './deployments.js';
import { likeLiteral } from './packages.js';
import type { Database } from '../schema.js';
import { publisherTexts } from './publications.js';


type Entry = Omit<CatalogEntry, 'protocol'>;

/**
 * The Packages section's queries. Each page is ONE statement: the counts and the latest version are
 * correlated subqueries evaluated for the page's rows only, never a query per row.
 */
export class SqlCatalogStore implements CatalogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  /** Bytewise name order on both engines (PostgreSQL's default collation would sort by locale). */
  private byteOrder(column: string) {
    return this.engine === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column);
  }

  private nameFilters(column: string, query: CatalogPageQuery): Expression<SqlBool>[] {
    const filters: Expression<SqlBool>[] = [];
    if (query.text) {
      // SQLite has no default LIKE escape character; name it so both engines read the pattern alike.
      filters.push(sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${likeLiteral(query.text.toLowerCase())}%`} escape '\\'`);
    }
    if (query.after) {
      const op = query.after.inclusive ? sql`>=` : sql`>`;
      filters.push(sql<SqlBool>`${this.byteOrder(column)} ${op} ${query.after.name}`);
    }
    return filters;
  }

  async packagePage(repository: string, query: CatalogPageQuery): Promise<Entry[]> {
    const rows = await this.db
      .selectFrom('packages as p')
      .select((eb) => [
        'p.name',
        'p.display_name',
        'p.updated_at',
        eb.selectFrom('package_versions as v').select(eb.fn.countAll<number>().as('n')).whereRef('v.package_id', '=', 'p.id').as('versions'),
        eb
          .fn.coalesce(
            eb.selectFrom('package_tags as t').select('t.version').whereRef('t.package_id', '=', 'p.id').where('t.tag', '=', 'latest'),
            eb.selectFrom('package_versions as v').select('v.version').whereRef('v.package_id', '=', 'p.id').orderBy('v.created_at', 'desc').limit(1),
          )
          .as('latest'),
      ])
      .where('p.repository', '=', repository)
      .where((eb) => eb.and(this.nameFilters('p.name', query)))
      .orderBy(this.byteOrder('p.name'))
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({
      name: r.name,
      displayName: r.display_name,
      versionCount: Number(r.versions ?? 0),
      latest: r.latest ?? null,
      updatedAt: toDate(r.updated_at),
    }));
  }

  async ociPage(query: CatalogPageQuery): Promise<Entry[]> {
    const rows = await this.db
      .selectFrom('oci_repositories as r')
      .select((eb) => [
        'r.name',
        'r.created_at',
        eb.selectFrom('oci_tags as t').select(eb.fn.countAll<number>().as('n')).whereRef('t.repository_id', '=', 'r.id').as('tags'),
        eb.selectFrom('oci_tags as t').select('t.name').whereRef('t.repository_id', '=', 'r.id').orderBy('t.updated_at', 'desc').orderBy('t.name').limit(1).as('latest'),
        eb.selectFrom('oci_tags as t').select((inner) => inner.fn.max('t.updated_at').as('u')).whereRef('t.repository_id', '=', 'r.id').as('updated'),
      ])
      .where((eb) => eb.and(this.nameFilters('r.name', query)))
      .orderBy(this.byteOrder('r.name'))
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({
      name: r.name,
      displayName: r.name,
      versionCount: Number(r.tags ?? 0),
      latest: r.latest ?? null,
      updatedAt: toDate(r.updated ?? r.created_at),
    }));
  }

  async ociContents(name: string, manifestLimit: number): Promise<OciRepositoryContents | undefined> {
    const repo = await this.db.selectFrom('oci_repositories').selectAll().where('name', '=', name).executeTakeFirst();
    if (!repo) return undefined;
    const [manifests, tags, references, publishers] = await Promise.all([
      this.db
        .selectFrom('oci_manifests')
        .selectAll()
        .where('repository_id', '=', repo.id)
        .orderBy('created_at', 'desc')
        .orderBy('digest')
        .limit(manifestLimit + 1)
        .execute(),
      this.db.selectFrom('oci_tags').selectAll().where('repository_id', '=', repo.id).orderBy('name').execute(),
      this.db
        .selectFrom('oci_manifest_references as r')
        .leftJoin('oci_blobs as b', (j) => j.onRef('b.digest', '=', 'r.child_digest').on('r.kind', '=', 'blob'))
        .select(['r.manifest_digest', 'r.child_digest', 'r.kind', 'b.size'])
        .where('r.repository_id', '=', repo.id)
        .execute(),
      publisherTexts(this.db, 'oci', [repo.name]),
    ]);
    const children = new Map<string, string[]>();
    const blobBytes = new Map<string, number>();
    for (const r of references) {
      if (r.kind === 'manifest') children.set(r.manifest_digest, [...(children.get(r.manifest_digest) ?? []), r.child_digest]);
      else blobBytes.set(r.manifest_digest, (blobBytes.get(r.manifest_digest) ?? 0) + Number(r.size ?? 0));
    }
    return {
      name: repo.name,
      createdAt: toDate(repo.created_at),
      manifests: manifests.slice(0, manifestLimit).map((m) => ({
        digest: m.digest,
        mediaType: m.media_type,
        artifactType: m.artifact_type,
        subject: m.subject_digest,
        size: Number(m.size),
        createdAt: toDate(m.created_at),
        publishedBy: publishers.get(`${repo.name}\n${m.digest}`) ?? null,
      })),
      tags: tags.map((t) => ({ name: t.name, digest: t.manifest_digest, updatedAt: toDate(t.updated_at) })),
      children,
      blobBytes,
      truncated: manifests.length > manifestLimit,
    };
  }

  async deploymentsOf(repository: string, limit: number): Promise<CatalogDeployment[]> {
    const rows = await this.db
      .selectFrom('deployments as d')
      .innerJoin('environments as e', 'e.id', 'd.environment_id')
      .selectAll('d')
      .select((eb) => [
        'e.name as environment_name',
        'e.color as environment_color',
        eb
          .selectFrom('deployments as later')
          .select((inner) => inner.fn.max('later.run').as('m'))
          .whereRef('later.environment_id', '=', 'd.environment_id')
          .whereRef('later.repository', '=', 'd.repository')
          .as('latest_run'),
      ])
      .where('d.repository', '=', repository)
      .orderBy('d.last_seen', 'desc')
      .orderBy('d.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      ...toDeployment(r),
      environment: { name: r.environment_name, color: r.environment_color },
      current: Number(r.latest_run) === Number(r.run),
    }));
  }
}
