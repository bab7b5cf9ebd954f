import { sql, type Kysely } from 'kysely';
import type { SqlEngine } from '../database.js';

/** Users, sessions, invitations, tokens and the audit log. */
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('permission', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .addColumn('environment_id', 'text')
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('last_used_at', 'bigint')
    .addColumn('last_used_ip', 'text')
    .addColumn('last_used_client', 'text')
    .addColumn('use_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await forbidUnrevoke(db, engine);
  await db.schema.createIndex('tokens_created_by').on('tokens').column('created_by').execute();
  await db.schema.createIndex('tokens_environment_id').on('tokens').column('environment_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_name', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
}

/** Revocation is permanent: the database itself refuses to clear or change a token's revoked_at. */
async function forbidUnrevoke(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  if (engine === 'sqlite') {
    await sql`CREATE TRIGGER tokens_revocation_is_permanent BEFORE UPDATE OF revoked_at ON tokens
      WHEN OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS NULL OR NEW.revoked_at <> OLD.revoked_at)
      BEGIN SELECT RAISE(ABORT, 'token revocation is permanent'); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION tokens_revocation_is_permanent() RETURNS trigger AS $$
    BEGIN
      IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
        RAISE EXCEPTION 'token revocation is permanent';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`.execute(db);
  await sql`CREATE TRIGGER tokens_revocation_is_permanent BEFORE UPDATE OF revoked_at ON tokens
    FOR EACH ROW EXECUTE FUNCTION tokens_revocation_is_permanent()`.execute(db);
}
