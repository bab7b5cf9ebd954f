import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Digest } from '../../../core/blob-store.js';
import type { ManifestMediaType } from '../../../core/oci/media-types.js';
import type { OciManifest, OciManifestReference, OciRepository, OciStore } from '../../../core/oci/ports.js';
import { toDate } from '../rows.js';
import type { Database, OciManifestsTable } from '../schema.js';

const toManifest = (row: Selectable<OciManifestsTable>): OciManifest => ({
  repositoryId: row.repository_id,
  digest: row.digest as Digest,
  mediaType: row.media_type as ManifestMediaType,
  artifactType: row.artifact_type,
  subject: row.subject_digest as Digest | null,
  size: Number(row.size),
  annotations: row.annotations === null ? null : (JSON.parse(row.annotations) as Record<string, string>),
  createdAt: toDate(row.created_at),
});

/** The OCI metadata port over Kysely: the same statements on SQLite and PostgreSQL. */
export class SqlOciStore implements OciStore {
  constructor(private readonly db: Kysely<Database>) {}

  async repositoryByName(name: string): Promise<OciRepository | undefined> {
    const row = await this.db.selectFrom('oci_repositories').selectAll().where('name', '=', name).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: toDate(row.created_at) };
  }

  async ensureRepository(name: string, at: Date): Promise<OciRepository> {
    await this.db
      .insertInto('oci_repositories')
      .values({ id: randomUUID(), name, created_at: at.getTime() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const repository = await this.repositoryByName(name);
    if (!repository) throw new Error(`repository ${name} vanished after its creation`);
    return repository;
  }

  async listRepositories(after: string | undefined, limit: number): Promise<string[]> {
    let query = this.db.selectFrom('oci_repositories').select('name').orderBy('name').limit(limit);
    if (after !== undefined) query = query.where('name', '>', after);
    return (await query.execute()).map((r) => r.name);
  }

  async touchBlob(digest: Digest, at: Date): Promise<void> {
    await this.db
      .insertInto('oci_blobs')
      .values({ digest, size: null, created_at: at.getTime(), touched_at: at.getTime() })
      .onConflict((oc) => oc.column('digest').doUpdateSet({ touched_at: at.getTime() }))
      .execute();
  }

  async linkBlob(repositoryId: string, digest: Digest, size: number, at: Date): Promise<void> {
    await this.db
      .insertInto('oci_blobs')
      .values({ digest, size, created_at: at.getTime(), touched_at: at.getTime() })
      .onConflict((oc) => oc.column('digest').doUpdateSet({ size, touched_at: at.getTime() }))
      .execute();
    await this.db
      .insertInto('oci_repository_blobs')
      .values({ repository_id: repositoryId, digest, created_at: at.getTime() })
      .onConflict((oc) => oc.columns(['repository_id', 'digest']).doNothing())
      .execute();
  }

  async linkedBlob(repositoryId: string, digest: Digest): Promise<{ digest: Digest; size: number } | undefined> {
    const row = await this.db
      .selectFrom('oci_repository_blobs as l')
      .innerJoin('oci_blobs as b', 'b.digest', 'l.digest')
      .select(['b.digest', 'b.size'])
      .where('l.repository_id', '=', repositoryId)
      .where('l.digest', '=', digest)
      .executeTakeFirst();
    return row && row.size !== null ? { digest: row.digest as Digest, size: Number(row.size) } : undefined;
  }

  async touchLinkedBlobs(repositoryId: string, digests: Digest[], at: Date): Promise<Map<Digest, number>> {
    const found = new Map<Digest, number>();
    if (digests.length === 0) return found;
    // An UPDATE takes the rows' locks: a concurrent collector either ran first (the row is gone) or waits and
    // then sees the fresh touched_at.
    const rows = await this.db
      .updateTable('oci_blobs')
      .set({ touched_at: at.getTime() })
      .where('digest', 'in', [...new Set(digests)])
      .where('size', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('oci_repository_blobs as l')
            .select('l.digest')
            .whereRef('l.digest', '=', 'oci_blobs.digest')
            .where('l.repository_id', '=', repositoryId),
        ),
      )
      .returning(['digest', 'size'])
      .execute();
    for (const row of rows) found.set(row.digest as Digest, Number(row.size));
    return found;
  }

  async unlinkBlob(repositoryId: string, digest: Digest): Promise<boolean> {
    const result = await this.db
      .deleteFrom('oci_repository_blobs')
      .where('repository_id', '=', repositoryId)
      .where('digest', '=', digest)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async existingManifests(repositoryId: string, digests: Digest[]): Promise<Set<Digest>> {
    if (digests.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('oci_manifests')
      .select('digest')
      .where('repository_id', '=', repositoryId)
      .where('digest', 'in', [...new Set(digests)])
      .execute();
    return new Set(rows.map((r) => r.digest as Digest));
  }

  async insertManifest(m: OciManifest, references: OciManifestReference[]): Promise<void> {
    const inserted = await this.db
      .insertInto('oci_manifests')
      .values({
        repository_id: m.repositoryId,
        digest: m.digest,
        media_type: m.mediaType,
        artifact_type: m.artifactType,
        subject_digest: m.subject,
        size: m.size,
        annotations: m.annotations === null ? null : JSON.stringify(m.annotations),
        created_at: m.createdAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['repository_id', 'digest']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    const unique = new Map(references.map((r) => [r.digest, r]));
    const rows = [...unique.values()].map((r) => ({ repository_id: m.repositoryId, manifest_digest: m.digest, child_digest: r.digest, kind: r.kind }));
    // Bounded batches keep within SQLite's bound-parameter limit for huge indexes.
    for (let i = 0; i < rows.length; i += 200) {
      await this.db.insertInto('oci_manifest_references').values(rows.slice(i, i + 200)).execute();
    }
  }

  async manifestByDigest(repositoryId: string, digest: Digest): Promise<OciManifest | undefined> {
    const row = await this.db
      .selectFrom('oci_manifests')
      .selectAll()
      .where('repository_id', '=', repositoryId)
      .where('digest', '=', digest)
      .executeTakeFirst();
    return row && toManifest(row);
  }

  async manifestByNameAndTag(name: string, tag: string): Promise<OciManifest | undefined> {
    const row = await this.db
      .selectFrom('oci_tags as t')
      .innerJoin('oci_repositories as r', 'r.id', 't.repository_id')
      .innerJoin('oci_manifests as m', (j) => j.onRef('m.repository_id', '=', 't.repository_id').onRef('m.digest', '=', 't.manifest_digest'))
      .selectAll('m')
      .where('r.name', '=', name)
      .where('t.name', '=', tag)
      .executeTakeFirst();
    return row && toManifest(row);
  }

  async manifestByNameAndDigest(name: string, digest: Digest): Promise<OciManifest | undefined> {
    const row = await this.db
      .selectFrom('oci_manifests as m')
      .innerJoin('oci_repositories as r', 'r.id', 'm.repository_id')
      .selectAll('m')
      .where('r.name', '=', name)
      .where('m.digest', '=', digest)
      .executeTakeFirst();
    return row && toManifest(row);
  }

  async deleteManifest(repositoryId: string, digest: Digest): Promise<boolean> {
    // Tags and references go with it (foreign keys with ON DELETE CASCADE); deleted explicitly as well so
    // the outcome never depends on SQLite's foreign_keys pragma.
    await this.db.deleteFrom('oci_tags').where('repository_id', '=', repositoryId).where('manifest_digest', '=', digest).execute();
    await this.db
      .deleteFrom('oci_manifest_references')
      .where('repository_id', '=', repositoryId)
      .where('manifest_digest', '=', digest)
      .execute();
    const result = await this.db.deleteFrom('oci_manifests').where('repository_id', '=', repositoryId).where('digest', '=', digest).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async setTag(repositoryId: string, tag: string, digest: Digest, at: Date): Promise<void> {
    await this.db
      .insertInto('oci_tags')
      .values({ repository_id: repositoryId, name: tag, manifest_digest: digest, updated_at: at.getTime() })
      .onConflict((oc) => oc.columns(['repository_id', 'name']).doUpdateSet({ manifest_digest: digest, updated_at: at.getTime() }))
      .execute();
  }

  async deleteTag(repositoryId: string, tag: string): Promise<boolean> {
    const result = await this.db.deleteFrom('oci_tags').where('repository_id', '=', repositoryId).where('name', '=', tag).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listTags(repositoryId: string, after: string | undefined, limit: number): Promise<string[]> {
    let query = this.db.selectFrom('oci_tags').select('name').where('repository_id', '=', repositoryId).orderBy('name').limit(limit);
    if (after !== undefined) query = query.where('name', '>', after);
    return (await query.execute()).map((r) => r.name);
  }

  async referrers(repositoryId: string, subject: Digest, artifactType: string | undefined): Promise<OciManifest[]> {
    let query = this.db
      .selectFrom('oci_manifests')
      .selectAll()
      .where('repository_id', '=', repositoryId)
      .where('subject_digest', '=', subject)
      .orderBy('created_at')
      .orderBy('digest');
    if (artifactType !== undefined) query = query.where('artifact_type', '=', artifactType);
    return (await query.execute()).map(toManifest);
  }

  async insertUpload(id: string, repository: string, at: Date, startedBy: string): Promise<void> {
    await this.db.insertInto('oci_uploads').values({ id, repository, started_at: at.getTime(), started_by: startedBy }).execute();
  }

  async countUploads(startedBy: string): Promise<number> {
    const row = await this.db
      .selectFrom('oci_uploads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('started_by', '=', startedBy)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async uploadRepository(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('oci_uploads').select('repository').where('id', '=', id).executeTakeFirst();
    return row?.repository;
  }

  async deleteUpload(id: string): Promise<void> {
    await this.db.deleteFrom('oci_uploads').where('id', '=', id).execute();
  }

  async staleUploads(before: Date): Promise<string[]> {
    const rows = await this.db.selectFrom('oci_uploads').select('id').where('started_at', '<', before.getTime()).execute();
    return rows.map((r) => r.id);
  }

  async collectableBlobs(before: Date, after: Digest | undefined, limit: number): Promise<Digest[]> {
    let query = this.db
      .selectFrom('oci_blobs as b')
      .select('b.digest')
      .where('b.touched_at', '<', before.getTime())
      .where((eb) => eb.not(eb.exists(eb.selectFrom('oci_manifest_references as r').select('r.child_digest').whereRef('r.child_digest', '=', 'b.digest'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('oci_manifests as m').select('m.digest').whereRef('m.digest', '=', 'b.digest'))))
      // Package files (npm, PyPI…) share the blob store: a digest one of them uses is never collected.
      .where((eb) => eb.not(eb.exists(eb.selectFrom('package_files as f').select('f.blob_digest').whereRef('f.blob_digest', '=', 'b.digest'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('package_file_blobs as o').select('o.digest').whereRef('o.digest', '=', 'b.digest'))))
      .orderBy('b.digest')
      .limit(limit);
    if (after !== undefined) query = query.where('b.digest', '>', after);
    return (await query.execute()).map((r) => r.digest as Digest);
  }

  async untrackedBlobs(digests: Digest[]): Promise<Digest[]> {
    if (digests.length === 0) return [];
    const tracked = await this.db.selectFrom('oci_blobs').select('digest').where('digest', 'in', digests).execute();
    const known = new Set(tracked.map((r) => r.digest));
    return digests.filter((d) => !known.has(d));
  }

  async adoptBlobs(digests: Digest[], at: Date): Promise<void> {
    if (digests.length === 0) return;
    await this.db
      .insertInto('oci_blobs')
      .values(digests.map((digest) => ({ digest, size: null, created_at: at.getTime(), touched_at: at.getTime() })))
      .onConflict((oc) => oc.column('digest').doNothing())
      .execute();
  }

  async deleteBlobIfCollectable(digest: Digest, before: Date): Promise<boolean> {
    // One statement decides: on PostgreSQL a concurrent push that touched the row holds its lock, and the
    // re-checked touched_at then keeps the row.
    const result = await this.db
      .deleteFrom('oci_blobs')
      .where('digest', '=', digest)
      .where('touched_at', '<', before.getTime())
      .where((eb) => eb.not(eb.exists(eb.selectFrom('oci_manifest_references as r').select('r.child_digest').where('r.child_digest', '=', digest))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('oci_manifests as m').select('m.digest').where('m.digest', '=', digest))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('package_files as f').select('f.blob_digest').where('f.blob_digest', '=', digest))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('package_file_blobs as o').select('o.digest').where('o.digest', '=', digest))))
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    // The foreign key cascades this already; explicit so it never depends on SQLite's foreign_keys pragma.
    await this.db.deleteFrom('oci_repository_blobs').where('digest', '=', digest).execute();
    return true;
  }

  async secret(name: string, create: () => string): Promise<string> {
    await this.db
      .insertInto('oci_secrets')
      .values({ name, value: create(), created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('oci_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }
}
