import type { Kysely } from 'kysely';
import type { SqlEngine } from '../database.js';

/**
 * Runtime environments, their pull events, the deployments aggregate derived from those events, and
 * releases with their artifacts.
 *
 * pull_events and deployments carry no foreign keys on purpose: the pull recorder writes them in large
 * batches off the request path, and an environment's delete removes them explicitly in its transaction.
 */
export async function up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> {
  const serialKey = engine === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('environments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('color', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Raw events, append-only. `image_digest` is the image the request belongs to (an index, when a client
  // fetched one of its platform manifests right after it); `new_pull` is 0 for the continuation of a pull
  // (a GET after its HEAD), so deployments can be re-derived from this table alone.
  await db.schema
    .createTable('pull_events')
    .addColumn('id', serialKey, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('image_digest', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('new_pull', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('client', 'text')
    .execute();
  await db.schema.createIndex('pull_events_environment_at').on('pull_events').columns(['environment_id', 'at']).execute();

  // The aggregate the timeline, state and drift read: one row per uninterrupted run of one digest of one
  // repository in one environment. The latest run of a repository is what runs there now.
  await db.schema
    .createTable('deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('run', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('pull_count', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('deployments_environment_repository_run', ['environment_id', 'repository', 'run'])
    .execute();
  await db.schema.createIndex('deployments_environment_first_seen').on('deployments').columns(['environment_id', 'first_seen', 'id']).execute();

  await db.schema
    .createTable('releases')
    .addColumn('id', serialKey, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('source_commit', 'text')
    .addColumn('source_branch', 'text')
    .addColumn('source_pr', 'text')
    .addColumn('source_author', 'text')
    .addColumn('source_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_token', 'text')
    .addUniqueConstraint('releases_name_version', ['name', 'version'])
    .execute();
  await db.schema.createIndex('releases_version').on('releases').column('version').execute();

  // `name` is the OCI repository or the package name; `digest` is set for OCI, `version` for packages.
  await db.schema
    .createTable('release_artifacts')
    .addColumn('release_id', 'bigint', (c) => c.notNull().references('releases.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text')
    .addColumn('version', 'text')
    .addPrimaryKeyConstraint('release_artifacts_pk', ['release_id', 'position'])
    .execute();
  await db.schema.createIndex('release_artifacts_type_name').on('release_artifacts').columns(['type', 'name', 'release_id']).execute();
  await db.schema.createIndex('release_artifacts_digest').on('release_artifacts').columns(['digest', 'release_id']).execute();
}
