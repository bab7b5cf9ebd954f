import type { Kysely } from 'kysely';

/**
 * `flyreg login` in the browser reuses the npm web login's requests: `client` says which client asked (the
 * approved flyreg CLI receives a login session, npm a token), `user_code` is the short code the CLI prints
 * and the approval page shows, so the person can check they approve their own terminal's request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('npm_web_logins').addColumn('client', 'text', (c) => c.notNull().defaultTo('npm')).execute();
  await db.schema.alterTable('npm_web_logins').addColumn('user_code', 'text').execute();
}
