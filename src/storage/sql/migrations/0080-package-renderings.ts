import type { Kysely } from 'kysely';

/**
 * A protocol's rendering of a whole package (a Helm chart's index.yaml entries), written with the change it
 * renders and labelled with the package's revision stamp it was rendered from, so a cold process joins the
 * stored renderings instead of rendering every version again. A rendering whose revision no longer matches
 * the package's is stale and ignored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('package_renderings')
    .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('revision', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_renderings_pk', ['package_id', 'kind'])
    .execute();
}
