import type { Kysely } from 'kysely';

/**
 * `npm login --auth-type=web` requests: short-lived rows (minutes) that a dashboard user approves or
 * denies and npm's poll consumes. The done URL's secret is stored only as its SHA-256; no token secret is
 * ever stored here (the token is created, and its secret returned, by the poll that consumes the row).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('npm_web_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('done_secret_hash', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('npm_web_logins_expires_at').on('npm_web_logins').column('expires_at').execute();
}
