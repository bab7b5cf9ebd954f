import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SqlDatabase, SqlEngine } from './database.js';
import * as foundation from './migrations/0001-foundation.js';
import * as packages from './migrations/0002-packages.js';
import * as oci from './migrations/0003-oci.js';
import * as environments from './migrations/0006-environments.js';
import * as npmWebLogins from './migrations/0007-npm-web-logins.js';
import * as oidc from './migrations/0040-oidc.js';
import * as automaticReleases from './migrations/0041-automatic-releases.js';
import * as credentialHelperTokens from './migrations/0042-credential-helper-tokens.js';
import * as cliWebLogins from './migrations/0043-cli-web-logins.js';
import * as notifications from './migrations/0060-notifications.js';
import * as tokenScopes from './migrations/0050-token-scopes.js';
import * as shareLinks from './migrations/0075-share-links.js';
import * as onePublicationRecord from './migrations/0076-one-publication-record.js';
import * as blobsOfEveryProtocol from './migrations/0008-blobs-of-every-protocol.js';
import * as packageBrowsing from './migrations/0010-package-browsing.js';
import * as tokenSecrets from './migrations/0055-token-secrets.js';
import * as uploadOwners from './migrations/0065-upload-owners.js';
import * as storageProbes from './migrations/0066-storage-probes.js';
import * as packageRenderings from './migrations/0080-package-renderings.js';

type MigrationModule = { up(db: Kysely<unknown>, engine: SqlEngine): Promise<void> };

/**
 * Forward-only, numbered migrations. Append new ones here; never edit or remove one that has shipped.
 * There are no `down` steps on purpose.
 */
const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-foundation': foundation,
  '0002-packages': packages,
  '0003-oci': oci,
  '0006-environments': environments,
  '0007-npm-web-logins': npmWebLogins,
  '0040-oidc': oidc,
  '0041-automatic-releases': automaticReleases,
  '0042-credential-helper-tokens': credentialHelperTokens,
  '0043-cli-web-logins': cliWebLogins,
  '0060-notifications': notifications,
  '0050-token-scopes': tokenScopes,
  '0008-blobs-of-every-protocol': blobsOfEveryProtocol,
  '0010-package-browsing': packageBrowsing,
  '0055-token-secrets': tokenSecrets,
  '0065-upload-owners': uploadOwners,
  '0066-storage-probes': storageProbes,
  '0075-share-links': shareLinks,
  '0076-one-publication-record': onePublicationRecord,
  '0080-package-renderings': packageRenderings,
};

/** An arbitrary constant shared by every replica: "fly-registry migrations". */
const PG_MIGRATION_LOCK = 724_113_901;

class StaticProvider implements MigrationProvider {
  constructor(private readonly engine: SqlEngine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.engine) }]),
    );
  }
}

/**
 * Brings the schema to the latest version (or up to and including `upTo`). On PostgreSQL it runs under a session advisory lock so that
 * replicas starting together migrate one at a time (the others then find nothing left to do).
 */
export async function migrateToLatest(database: SqlDatabase, upTo?: string): Promise<void> {
  const run = async (db: Kysely<unknown>) => {
    const migrator = new Migrator({ db, provider: new StaticProvider(database.engine) });
    // `upTo` (a migration's name) is for tests of a data migration: the schema as it was, then the step.
    const { error, results } = upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (database.engine !== 'postgres') return run(database.db as unknown as Kysely<unknown>);
  await database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK})`.execute(conn);
    try {
      await run(conn as unknown as Kysely<unknown>);
    } finally {
      await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK})`.execute(conn);
    }
  });
}
