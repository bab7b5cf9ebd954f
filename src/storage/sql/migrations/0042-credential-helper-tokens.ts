import type { Kysely } from 'kysely';

/**
 * Tokens minted for `docker-credential-flyreg`: each is linked to the login session whose secret its own is
 * derived from (with the nonce), so the session gets it back while it lasts and logging out revokes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credential_helper_tokens')
    .addColumn('token_id', 'text', (c) => c.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credential_helper_tokens_session').on('credential_helper_tokens').column('session_id').execute();
}
