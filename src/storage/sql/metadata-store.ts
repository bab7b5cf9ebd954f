import { sql, type Kysely } from 'kysely';
import type { MetadataStore } from '../../core/ports.js';
import type { SqlDatabase, SqlEngine } from './database.js';
import type { Database } from './schema.js';
import { SqlAuditStore } from './stores/audit.js';
import { SqlDeploymentStore } from './stores/deployments.js';
import { SqlEnvironmentStore } from './stores/environments.js';
import { SqlPackageStore } from './stores/packages.js';
import { SqlOciStore } from './stores/oci.js';
import { SqlReleaseStore } from './stores/releases.js';
import { SqlNpmWebLoginStore } from './stores/npm-web-logins.js';
import { SqlInvitationStore, SqlSessionStore } from './stores/sessions.js';
import { SqlTokenStore } from './stores/tokens.js';
import { SqlUserStore } from './stores/users.js';

function storesOver(db: Kysely<Database>, engine: SqlEngine) {
  return {
    users: new SqlUserStore(db, engine),
    sessions: new SqlSessionStore(db),
    invitations: new SqlInvitationStore(db),
    tokens: new SqlTokenStore(db),
    audit: new SqlAuditStore(db),
    packages: new SqlPackageStore(db),
    oci: new SqlOciStore(db),
    environments: new SqlEnvironmentStore(db),
    deployments: new SqlDeploymentStore(db, engine),
    releases: new SqlReleaseStore(db),
    npmWebLogins: new SqlNpmWebLoginStore(db),
  };
}

/** The MetadataStore port over Kysely, the same code for SQLite and PostgreSQL. */
export class SqlMetadataStore implements MetadataStore {
  readonly users;
  readonly sessions;
  readonly invitations;
  readonly tokens;
  readonly audit;
  readonly packages;
  readonly oci;
  readonly environments;
  readonly deployments;
  readonly releases;
  readonly npmWebLogins;

  constructor(
    readonly database: SqlDatabase,
    /** The connection or transaction these stores run on (the PostgreSQL invalidation bus NOTIFYs on it). */
    readonly db: Kysely<Database> = database.db,
  ) {
    ({
      users: this.users,
      sessions: this.sessions,
      invitations: this.invitations,
      tokens: this.tokens,
      audit: this.audit,
      packages: this.packages,
      oci: this.oci,
      environments: this.environments,
      deployments: this.deployments,
      releases: this.releases,
      npmWebLogins: this.npmWebLogins,
    } = storesOver(db, database.engine));
  }

  async transaction<T>(fn: (tx: MetadataStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new SqlMetadataStore(this.database, trx)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}
