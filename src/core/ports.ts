import type { DeploymentStore, EnvironmentStore } from './environments/ports.js';
import type { NpmWebLoginStore } from './npm/web-login-model.js';
import type { OidcStore } from './oidc/model.js';
import type { HelperTokenStore } from './tokens/credential-helper.js';
import type { TokenSecretStore } from './tokens/token-secrets.js';
import type { ShareLinkStore } from './share-links/model.js';
import type { CatalogStore } from './packages/catalog/ports.js';
import type { PackageStore } from './packages/package-store.js';
import type { OciStore } from './oci/ports.js';
import type { NotificationEvent } from './notifications/model.js';
import type { NotificationStore } from './notifications/ports.js';
import type { PublicationStore, ReleaseStore } from './releases/ports.js';
import type { AuditEvent, Invitation, Role, Session, Token, TokenWithCreator, User, UserStatus } from './model.js';

/**
 * The metadata store, as core sees it. storage/sql implements it for SQLite and PostgreSQL; one contract
 * suite (src/storage/sql/metadata-store.contract.test.ts) runs on both.
 */
export interface MetadataStore {
  users: UserStore;
  sessions: SessionStore;
  invitations: InvitationStore;
  tokens: TokenStore;
  audit: AuditStore;
  packages: PackageStore;
  oci: OciStore;
  environments: EnvironmentStore;
  deployments: DeploymentStore;
  releases: ReleaseStore;
  npmWebLogins: NpmWebLoginStore;
  oidc: OidcStore;
  publications: PublicationStore;
  helperTokens: HelperTokenStore;
  /** Each token's secrets: the current one and those a rotation replaced (tokens/token-secrets.ts). */
  tokenSecrets: TokenSecretStore;
  shareLinks: ShareLinkStore;
  /** Read-only queries of the Packages section. */
  catalog: CatalogStore;
  /** Webhooks, the notification outbox and delivery queue, expiry notices. */
  notifications: NotificationStore;
  /** Runs fn with stores bound to one transaction: all of it lands or none of it does. */
  transaction<T>(fn: (tx: MetadataStore) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: runs `effect` once it has committed (never if it rolls back), before transaction()
   * resolves. Outside one: runs it now. For announcements other processes must only act on once committed.
   */
  afterCommit(effect: () => Promise<void>): Promise<void>;
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  /** A small write (one row rewritten): fails when the database or its disk is full or read-only. */
  probeWrite(at: Date): Promise<void>;
  close(): Promise<void>;
}

export interface UserStore {
  insert(user: User): Promise<void>;
  byId(id: string): Promise<User | undefined>;
  byUsername(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  countActiveAdmins(): Promise<number>;
  update(id: string, patch: Partial<Pick<User, 'role' | 'status' | 'passwordHash' | 'lastLoginAt' | 'email' | 'name'>>): Promise<void>;
  /** Deletes the user only while still invited (never joined); false when it is not (any more). */
  deleteInvited(id: string): Promise<boolean>;
}

export interface SessionStore {
  insert(session: Session): Promise<void>;
  byHash(secretHash: string): Promise<Session | undefined>;
  revoke(id: string, at: Date): Promise<void>;
  revokeAllForUser(userId: string, at: Date): Promise<void>;
}

export interface InvitationStore {
  insert(invitation: Invitation): Promise<void>;
  byHash(secretHash: string): Promise<Invitation | undefined>;
  markAccepted(id: string, at: Date): Promise<boolean>;
  /** Deletes the user's invitations not yet accepted: their links stop working at once. */
  deleteOpenForUser(userId: string): Promise<void>;
}

export interface TokenUsage {
  tokenId: string;
  at: Date;
  ip: string | null;
  client: string | null;
  count: number;
}

export interface TokenListFilter {
  createdBy?: string;
  environmentId?: string;
}

export interface TokenStore {
  insert(token: Token): Promise<void>;
  byId(id: string): Promise<TokenWithCreator | undefined>;
  /** The authentication lookup: one indexed read by secret hash. */
  byHash(secretHash: string): Promise<TokenWithCreator | undefined>;
  list(filter?: TokenListFilter): Promise<TokenWithCreator[]>;
  usernameTaken(username: string): Promise<boolean>;
  /** Sets revoked_at only where it is still null; never clears it. Returns whether this call revoked it. */
  revoke(id: string, at: Date, by: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  recordUsage(batch: TokenUsage[]): Promise<void>;
}

export interface AuditQuery {
  limit: number;
  /** Return events older than this id (keyset pagination, newest first). */
  before?: number;
}

export interface AuditStore {
  /** `announce`: the notification event this change also is, written to the outbox in the same statement batch. */
  append(event: Omit<AuditEvent, 'id'>, announce?: NotificationEvent): Promise<void>;
  list(query: AuditQuery): Promise<AuditEvent[]>;
}

export type { Role, UserStatus };
