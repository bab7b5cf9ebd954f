import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../database.js';

/**
 * The OCI registry: repositories, blob bookkeeping (for dedup-aware GC), manifests with their references
 * (for GC, index validation and referrers), tags, and upload sessions.
 */
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  // Names and tags sort bytewise on both engines (SQLite's default), so pagination agrees everywhere.
  const sortedText = engine === 'postgres' ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('oci_repositories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', sortedText, (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // One row per stored digest (blobs and manifests alike); touched_at drives the GC grace period.
  await db.schema
    .createTable('oci_blobs')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('touched_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oci_blobs_touched_at').on('oci_blobs').column('touched_at').execute();

  await db.schema
    .createTable('oci_repository_blobs')
    .addColumn('repository_id', 'text', (c) => c.notNull().references('oci_repositories.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull().references('oci_blobs.digest').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oci_repository_blobs_pk', ['repository_id', 'digest'])
    .execute();
  await db.schema.createIndex('oci_repository_blobs_digest').on('oci_repository_blobs').column('digest').execute();

  await db.schema
    .createTable('oci_manifests')
    .addColumn('repository_id', 'text', (c) => c.notNull().references('oci_repositories.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('artifact_type', 'text')
    .addColumn('subject_digest', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('annotations', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oci_manifests_pk', ['repository_id', 'digest'])
    .execute();
  await db.schema.createIndex('oci_manifests_digest').on('oci_manifests').column('digest').execute();
  await db.schema.createIndex('oci_manifests_subject').on('oci_manifests').columns(['repository_id', 'subject_digest']).execute();

  await db.schema
    .createTable('oci_manifest_references')
    .addColumn('repository_id', 'text', (c) => c.notNull())
    .addColumn('manifest_digest', 'text', (c) => c.notNull())
    .addColumn('child_digest', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('oci_manifest_references_pk', ['repository_id', 'manifest_digest', 'child_digest'])
    .addForeignKeyConstraint('oci_manifest_references_manifest', ['repository_id', 'manifest_digest'], 'oci_manifests', ['repository_id', 'digest'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('oci_manifest_references_child').on('oci_manifest_references').column('child_digest').execute();

  await db.schema
    .createTable('oci_tags')
    .addColumn('repository_id', 'text', (c) => c.notNull())
    .addColumn('name', sortedText, (c) => c.notNull())
    .addColumn('manifest_digest', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oci_tags_pk', ['repository_id', 'name'])
    .addForeignKeyConstraint('oci_tags_manifest', ['repository_id', 'manifest_digest'], 'oci_manifests', ['repository_id', 'digest'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('oci_tags_manifest').on('oci_tags').columns(['repository_id', 'manifest_digest']).execute();

  await db.schema
    .createTable('oci_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oci_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
