import { sql, type Kysely } from 'kysely';
import type { MetadataStore } from '../../core/ports.js';
import type { SqlDatabase, SqlEngine } from './database.js';
import type { Database } from './schema.js';
import { SqlAuditStore } from './stores/audit.js';
import { SqlCatalogStore } from './stores/catalog.js';
import { SqlDeploymentStore } from './stores/deployments.js';
import { SqlEnvironmentStore } from './stores/environments.js';
import { SqlPackageStore } from './stores/packages.js';
import { SqlOciStore } from './stores/oci.js';
import { SqlReleaseStore } from './stores/releases.js';
import { SqlNotificationStore } from './stores/notifications.js';
import { SqlNpmWebLoginStore } from './stores/npm-web-logins.js';
import { SqlOidcStore } from './stores/oidc.js';
import { SqlPublicationStore } from './stores/publications.js';
import { SqlHelperTokenStore } from './stores/helper-tokens.js';
import { SqlShareLinkStore } from './stores/share-links.js';
import { SqlInvitationStore, SqlSessionStore } from './stores/sessions.js';
import { SqlTokenStore } from './stores/tokens.js';
import { SqlTokenSecretStore } from './stores/token-secrets.js';
import { SqlUserStore } from './stores/users.js';

function storesOver(db: Kysely<Database>, engine: SqlEngine) {
  return {
    users: new SqlUserStore(db, engine),
    sessions: new SqlSessionStore(db),
    invitations: new SqlInvitationStore(db),
    tokens: new SqlTokenStore(db),
    audit: new SqlAuditStore(db),
    packages: new SqlPackageStore(db, engine),
    oci: new SqlOciStore(db),
    environments: new SqlEnvironmentStore(db),
    deployments: new SqlDeploymentStore(db, engine),
    releases: new SqlReleaseStore(db),
    npmWebLogins: new SqlNpmWebLoginStore(db),
    oidc: new SqlOidcStore(db),
    publications: new SqlPublicationStore(db),
    helperTokens: new SqlHelperTokenStore(db),
    tokenSecrets: new SqlTokenSecretStore(db),
    shareLinks: new SqlShareLinkStore(db),
    catalog: new SqlCatalogStore(db, engine),
    notifications: new SqlNotificationStore(db),
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
  readonly oidc;
  readonly publications;
  readonly helperTokens;
  readonly tokenSecrets;
  readonly shareLinks;
  readonly catalog;
  readonly notifications;

  constructor(
    readonly database: SqlDatabase,
    /** The connection or transaction these stores run on (the PostgreSQL invalidation bus NOTIFYs on it). */
    readonly db: Kysely<Database> = database.db,
    /** Inside a transaction: what runs once it commits (see afterCommit). */
    private readonly committed?: (() => Promise<void>)[],
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
      oidc: this.oidc,
      publications: this.publications,
      helperTokens: this.helperTokens,
      tokenSecrets: this.tokenSecrets,
      shareLinks: this.shareLinks,
      catalog: this.catalog,
      notifications: this.notifications,
    } = storesOver(db, database.engine));
  }

  async transaction<T>(fn: (tx: MetadataStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    const effects: (() => Promise<void>)[] = [];
    const result = await this.db.transaction().execute((trx) => fn(new SqlMetadataStore(this.database, trx, effects)));
    for (const effect of effects) await effect();
    return result;
  }

  async afterCommit(effect: () => Promise<void>): Promise<void> {
    if (this.committed) this.committed.push(effect);
    else await effect();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async probeWrite(at: Date): Promise<void> {
    await this.db
      .insertInto('storage_probes')
      .values({ name: 'readiness', probed_at: at.getTime() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ probed_at: at.getTime() }))
      .execute();
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}
