import type { Kysely } from 'kysely';

/**
 * One row per replica-independent probe name, rewritten by the readiness check while storage is known to
 * be failing: a write that fails when the database (or its disk) is full or read-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('storage_probes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('probed_at', 'bigint', (c) => c.notNull())
    .execute();
}
