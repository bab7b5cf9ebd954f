import type { Kysely } from 'kysely';

/**
 * Fine-grained token scopes (core/auth/scope.ts): JSON `[{protocol, resource, actions}…]`, NULL = the whole
 * registry (every token created before this migration). Kept on the token row, so authentication reads it
 * with the token in the one indexed lookup it already makes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('scope', 'text').execute();
}
