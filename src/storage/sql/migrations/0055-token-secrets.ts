import { sql, type Kysely } from 'kysely';

/**
 * Rotation with overlap (issue 18): a token may hold more than one secret at a time, the current one and,
 * until its overlap ends, the one it replaced. Each secret has its own row, so its use is tracked apart
 * (whether the old secret is still in use is what tells a team the rotation is finished). tokens.secret_hash
 * stays the current secret's hash: the authentication lookup of current secrets is unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_secrets')
    .addColumn('secret_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // null = the current secret; else when it stops working (a rotation's overlap end).
    .addColumn('retires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('use_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('token_secrets_token_id').on('token_secrets').column('token_id').execute();
  // Every existing token's one secret, with the usage recorded so far.
  await sql`INSERT INTO token_secrets (secret_hash, token_id, created_at, retires_at, last_used_at, use_count)
    SELECT secret_hash, id, created_at, NULL, last_used_at, use_count FROM tokens`.execute(db);
}
