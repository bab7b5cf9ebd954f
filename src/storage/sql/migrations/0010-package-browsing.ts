import type { Kysely } from 'kysely';

/**
 * What Fly Web's Packages section reads: who published each version or manifest (JSON text of
 * core/packages/publisher.ts, null for what was stored before this migration), and an index that finds
 * every environment's deployments of one repository ("where it runs") without scanning the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('package_versions').addColumn('published_by', 'text').execute();
  await db.schema.alterTable('oci_manifests').addColumn('published_by', 'text').execute();
  await db.schema.createIndex('deployments_repository_last_seen').on('deployments').columns(['repository', 'last_seen']).execute();
}
