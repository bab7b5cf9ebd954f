import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Digest } from '../../../core/blob-store.js';
import { Errors } from '../../../core/errors.js';
import type { FileRecord, LoadedPackage, NewFile, PackageRecord, PackageRendering, PackageRepository, TagRecord, VersionRecord } from '../../../core/packages/model.js';
import type { PackageSearch, PackageStore } from '../../../core/packages/package-store.js';
import { toDate } from '../rows.js';
import type { SqlEngine } from '../database.js';
import type { Database, PackageFilesTable, PackagesTable, PackageVersionsTable } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';
import { publisherTexts } from './publications.js';

const toPackage = (r: Selectable<PackagesTable>): PackageRecord => ({
  id: r.id,
  repository: r.repository as PackageRepository,
  name: r.name,
  displayName: r.display_name,
  metadata: r.metadata,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

/** `publishers` from publisherTexts(): who published each version, from the one record of publications. */
const toVersion = (r: Selectable<PackageVersionsTable>, name: string, publishers: Map<string, string>): VersionRecord => ({
  id: r.id,
  packageId: r.package_id,
  version: r.version,
  metadata: r.metadata,
  createdAt: toDate(r.created_at),
  publishedBy: publishers.get(`${name}\n${r.version}`) ?? null,
});

const toFile = (r: Selectable<PackageFilesTable>): FileRecord => ({
  id: r.id,
  packageId: r.package_id,
  versionId: r.version_id,
  filename: r.filename,
  blobDigest: r.blob_digest as Digest,
  size: Number(r.size),
  metadata: r.metadata,
  createdAt: toDate(r.created_at),
});

/** Escapes LIKE wildcards so a search for "a_b" matches the text, not a pattern. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqlPackageStore implements PackageStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: SqlEngine,
  ) {}

  async get(repository: PackageRepository, name: string): Promise<PackageRecord | undefined> {
    const row = await this.db.selectFrom('packages').selectAll().where('repository', '=', repository).where('name', '=', name).executeTakeFirst();
    return row && toPackage(row);
  }

  async load(repository: PackageRepository, name: string): Promise<LoadedPackage | undefined> {
    const pkg = await this.get(repository, name);
    if (!pkg) return undefined;
    const [versions, files, tags, publishers] = await Promise.all([
      this.db.selectFrom('package_versions').selectAll().where('package_id', '=', pkg.id).orderBy('created_at').orderBy('id').execute(),
      this.db.selectFrom('package_files').selectAll().where('package_id', '=', pkg.id).orderBy('created_at').orderBy('filename').execute(),
      this.tags(pkg.id),
      publisherTexts(this.db, repository, [pkg.name]),
    ]);
    return { package: pkg, versions: versions.map((v) => toVersion(v, pkg.name, publishers)), files: files.map(toFile), tags };
  }

  async loadAll(repository: PackageRepository): Promise<LoadedPackage[]> {
    const [packages, versions, files, publishers] = await Promise.all([
      this.db.selectFrom('packages').selectAll().where('repository', '=', repository).orderBy('name').execute(),
      this.db
        .selectFrom('package_versions')
        .innerJoin('packages', 'packages.id', 'package_versions.package_id')
        .selectAll('package_versions')
        .where('packages.repository', '=', repository)
        .orderBy('package_versions.created_at')
        .orderBy('package_versions.id')
        .execute(),
      this.db
        .selectFrom('package_files')
        .innerJoin('packages', 'packages.id', 'package_files.package_id')
        .selectAll('package_files')
        .where('packages.repository', '=', repository)
        .orderBy('package_files.created_at')
        .orderBy('package_files.filename')
        .execute(),
      publisherTexts(this.db, repository, null),
    ]);
    const loaded = new Map(packages.map((p) => [p.id, { package: toPackage(p), versions: [], files: [], tags: [] } as LoadedPackage]));
    for (const v of versions) {
      const entry = loaded.get(v.package_id);
      entry?.versions.push(toVersion(v, entry.package.name, publishers));
    }
    for (const f of files) loaded.get(f.package_id)?.files.push(toFile(f));
    return [...loaded.values()];
  }

  async search(repository: PackageRepository, query: PackageSearch): Promise<PackageRecord[]> {
    let q = this.db.selectFrom('packages').selectAll().where('repository', '=', repository);
    if (query.text) {
      const pattern = `%${likeLiteral(query.text.toLowerCase())}%`;
      // SQLite has no default LIKE escape character; name it so both engines read the pattern alike.
      q = q.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
    }
    const rows = await q.orderBy('name').limit(query.limit).offset(query.offset).execute();
    return rows.map(toPackage);
  }

  async ensure(repository: PackageRepository, name: string, displayName: string, now: Date): Promise<PackageRecord> {
    const existing = await this.get(repository, name);
    if (existing) return existing;
    const record: PackageRecord = { id: randomUUID(), repository, name, displayName, metadata: '{}', createdAt: now, updatedAt: now };
    await this.db
      .insertInto('packages')
      .values({
        id: record.id,
        repository,
        name,
        display_name: displayName,
        metadata: record.metadata,
        created_at: now.getTime(),
        updated_at: now.getTime(),
      })
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? Errors.conflict(`Package ${name} is being created concurrently: retry`) : error;
      });
    return record;
  }

  /**
   * PostgreSQL: a row lock that leaves foreign keys alone (FOR NO KEY UPDATE), so that a transaction which
   * inserted a version (a key-share lock on the package) never deadlocks with another doing the same.
   * SQLite runs one write transaction at a time already.
   */
  async lock(packageId: string): Promise<void> {
    if (this.engine !== 'postgres') return;
    await this.db.selectFrom('packages').select('id').where('id', '=', packageId).forNoKeyUpdate().execute();
  }

  async setPackageMetadata(packageId: string, metadata: string, now: Date): Promise<void> {
    await this.db.updateTable('packages').set({ metadata, updated_at: now.getTime() }).where('id', '=', packageId).execute();
  }

  async delete(packageId: string): Promise<void> {
    // Children first: explicit deletes work whether or not the engine enforces ON DELETE CASCADE.
    await this.db.deleteFrom('package_renderings').where('package_id', '=', packageId).execute();
    await this.db.deleteFrom('package_tags').where('package_id', '=', packageId).execute();
    await this.db
      .deleteFrom('package_file_blobs')
      .where('file_id', 'in', (eb) => eb.selectFrom('package_files').select('id').where('package_id', '=', packageId))
      .execute();
    await this.db.deleteFrom('package_files').where('package_id', '=', packageId).execute();
    await this.db.deleteFrom('package_versions').where('package_id', '=', packageId).execute();
    await this.db.deleteFrom('packages').where('id', '=', packageId).execute();
  }

  async version(packageId: string, version: string): Promise<VersionRecord | undefined> {
    const row = await this.db
      .selectFrom('package_versions')
      .selectAll()
      .where('package_id', '=', packageId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) return undefined;
    const pkg = await this.db.selectFrom('packages').select(['name', 'repository']).where('id', '=', packageId).executeTakeFirstOrThrow();
    return toVersion(row, pkg.name, await publisherTexts(this.db, pkg.repository, [pkg.name]));
  }

  /** Its publisher is recorded apart, as a publication (core/releases/publications.ts), once it is stored. */
  async insertVersion(packageId: string, version: string, metadata: string, now: Date): Promise<VersionRecord> {
    const record: VersionRecord = { id: randomUUID(), packageId, version, metadata, createdAt: now, publishedBy: null };
    await this.db
      .insertInto('package_versions')
      .values({ id: record.id, package_id: packageId, version, metadata, created_at: now.getTime() })
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? Errors.conflict(`Version ${version} already exists`) : error;
      });
    await this.db.updateTable('packages').set({ updated_at: now.getTime() }).where('id', '=', packageId).execute();
    return record;
  }

  async setVersionMetadata(versionId: string, metadata: string): Promise<void> {
    await this.db.updateTable('package_versions').set({ metadata }).where('id', '=', versionId).execute();
  }

  async deleteVersion(versionId: string): Promise<void> {
    const version = await this.db.selectFrom('package_versions').select(['package_id', 'version']).where('id', '=', versionId).executeTakeFirst();
    if (!version) return;
    await this.db.deleteFrom('package_tags').where('package_id', '=', version.package_id).where('version', '=', version.version).execute();
    await this.db
      .deleteFrom('package_file_blobs')
      .where('file_id', 'in', (eb) => eb.selectFrom('package_files').select('id').where('version_id', '=', versionId))
      .execute();
    await this.db.deleteFrom('package_files').where('version_id', '=', versionId).execute();
    await this.db.deleteFrom('package_versions').where('id', '=', versionId).execute();
  }

  async insertFile(packageId: string, versionId: string, file: NewFile, now: Date): Promise<FileRecord> {
    const { otherBlobs = [], ...fields } = file;
    const record: FileRecord = { id: randomUUID(), packageId, versionId, ...fields, createdAt: now };
    await this.db
      .insertInto('package_files')
      .values({
        id: record.id,
        package_id: packageId,
        version_id: versionId,
        filename: file.filename,
        blob_digest: file.blobDigest,
        size: file.size,
        metadata: file.metadata,
        created_at: now.getTime(),
      })
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? Errors.conflict(`File ${file.filename} already exists`) : error;
      });
    const others = [...new Set(otherBlobs)];
    if (others.length > 0) await this.db.insertInto('package_file_blobs').values(others.map((digest) => ({ file_id: record.id, digest }))).execute();
    return record;
  }

  async file(repository: PackageRepository, packageName: string, filename: string): Promise<FileRecord | undefined> {
    const row = await this.db
      .selectFrom('package_files')
      .innerJoin('packages', 'packages.id', 'package_files.package_id')
      .selectAll('package_files')
      .where('packages.repository', '=', repository)
      .where('packages.name', '=', packageName)
      .where('package_files.filename', '=', filename)
      .executeTakeFirst();
    return row && toFile(row);
  }

  async deleteFile(fileId: string): Promise<void> {
    await this.db.deleteFrom('package_files').where('id', '=', fileId).execute();
  }

  async setFileMetadata(fileId: string, metadata: string): Promise<void> {
    await this.db.updateTable('package_files').set({ metadata }).where('id', '=', fileId).execute();
  }

  async setTag(packageId: string, tag: string, version: string): Promise<void> {
    await this.db
      .insertInto('package_tags')
      .values({ package_id: packageId, tag, version })
      .onConflict((oc) => oc.columns(['package_id', 'tag']).doUpdateSet({ version }))
      .execute();
  }

  async deleteTag(packageId: string, tag: string): Promise<void> {
    await this.db.deleteFrom('package_tags').where('package_id', '=', packageId).where('tag', '=', tag).execute();
  }

  async saveRendering(packageId: string, kind: string, revision: string, body: string): Promise<void> {
    await this.db
      .insertInto('package_renderings')
      .values({ package_id: packageId, kind, revision, body })
      .onConflict((oc) => oc.columns(['package_id', 'kind']).doUpdateSet({ revision, body }))
      .execute();
  }

  async renderings(repository: PackageRepository, kind: string, names: readonly string[] | null): Promise<PackageRendering[]> {
    if (names !== null && names.length === 0) return [];
    let query = this.db
      .selectFrom('package_renderings as r')
      .innerJoin('packages as p', 'p.id', 'r.package_id')
      .select(['p.name', 'r.revision', 'r.body'])
      .where('p.repository', '=', repository)
      .where('r.kind', '=', kind);
    if (names !== null) query = query.where('p.name', 'in', names);
    return query.orderBy('p.name').execute();
  }

  async tags(packageId: string): Promise<TagRecord[]> {
    const rows = await this.db.selectFrom('package_tags').selectAll().where('package_id', '=', packageId).orderBy('tag').execute();
    return rows.map((r) => ({ packageId: r.package_id, tag: r.tag, version: r.version }));
  }

  async referencedBlobs(): Promise<Set<string>> {
    const files = await this.db.selectFrom('package_files').select('blob_digest as digest').distinct().execute();
    const others = await this.db.selectFrom('package_file_blobs').select('digest').distinct().execute();
    return new Set([...files, ...others].map((r) => r.digest));
  }
}
