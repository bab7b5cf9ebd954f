import type { Kysely } from 'kysely';
import type { SqlEngine } from '../database.js';

/**
 * Automatic releases and publications. A release recorded by itself (what a CI job published with an
 * exchanged OIDC token, grouped per repository and tag or commit) is marked automatic: it grows as the
 * run publishes, and an explicit release of the same name and version replaces it. Publications say who
 * or what published each artifact: the actor, the token, and the CI run (a snapshot of the token's claims,
 * so it outlives the token).
 */
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema.alterTable('releases').addColumn('automatic', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('publications')
    .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The digest for an image, the version for a package.
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text')
    .addColumn('token_name', 'text')
    .addColumn('ci', 'text')
    .execute();
  await db.schema.createIndex('publications_artifact').on('publications').columns(['type', 'name', 'reference', 'id']).execute();
}
