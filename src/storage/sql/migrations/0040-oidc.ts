import type { Kysely } from 'kysely';

/**
 * OIDC exchange for CI: trust policies, the ID token ids (`jti`) already exchanged (so a replay is refused
 * on every replica: the primary key is the lock), and what an exchanged token remembers of its CI run.
 * Numbered 0040 to stay clear of migrations other branches add meanwhile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oidc_trust_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    // JSON: [{claim, values: [pattern…]}…] and the optional scope [{protocol, resource, actions}…].
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('permission', 'text', (c) => c.notNull())
    .addColumn('scope', 'text')
    .addColumn('environment', 'text')
    .addColumn('token_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_trust_policies_issuer').on('oidc_trust_policies').column('issuer').execute();

  await db.schema
    .createTable('oidc_used_jtis')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_used_jtis_pk', ['issuer', 'jti'])
    .execute();
  await db.schema.createIndex('oidc_used_jtis_expires_at').on('oidc_used_jtis').column('expires_at').execute();

  // One row per exchanged token; it goes when the token is deleted.
  await db.schema
    .createTable('token_ci_provenance')
    .addColumn('token_id', 'text', (c) => c.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('repository', 'text')
    .addColumn('ref', 'text')
    .addColumn('ref_name', 'text')
    .addColumn('ref_type', 'text')
    .addColumn('pull_request', 'text')
    .addColumn('sha', 'text')
    .addColumn('workflow', 'text')
    .addColumn('run_id', 'text')
    .addColumn('run_url', 'text')
    .addColumn('actor', 'text')
    .execute();
}
