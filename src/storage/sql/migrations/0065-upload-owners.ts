import type { Kysely } from 'kysely';

/**
 * Who started each OCI upload session (`token:<id>`, `session:<id>` or `user:<id>`), so that the sessions one
 * credential holds open can be counted and capped (FLY_OCI_MAX_UPLOADS). Sessions started before this
 * migration have none and count for nobody.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oci_uploads').addColumn('started_by', 'text').execute();
  await db.schema.createIndex('oci_uploads_started_by').on('oci_uploads').column('started_by').execute();
}
