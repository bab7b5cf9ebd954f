import type { Generated } from 'kysely';

/** Table shapes as stored. Times are epoch milliseconds (bigint) so both engines agree exactly. */
export interface UsersTable {
  id: string;
  username: string;
  email: string;
  name: string | null;
  role: string;
  status: string;
  password_hash: string | null;
  created_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface InvitationsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface NpmWebLoginsTable {
  id: string;
  done_secret_hash: string;
  hostname: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  expires_at: number;
  decision: string | null;
  decided_by: string | null;
  decided_at: number | null;
  consumed_at: number | null;
  client: Generated<string>;
  user_code: string | null;
}

export interface TokensTable {
  id: string;
  name: string;
  username: string;
  permission: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
  environment_id: string | null;
  secret_hash: string;
  last_used_at: number | null;
  last_used_ip: string | null;
  last_used_client: string | null;
  use_count: number;
  /** JSON scope (migration 0050); NULL = the whole registry. */
  scope: string | null;
}

/** One secret of a token (migration 0055): the current one (retires_at null) and those a rotation replaced. */
export interface TokenSecretsTable {
  secret_hash: string;
  token_id: string;
  created_at: number;
  retires_at: number | null;
  last_used_at: number | null;
  use_count: Generated<number>;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  target_name: string | null;
  ip: string | null;
  details: string;
}

export interface PackagesTable {
  id: string;
  repository: string;
  name: string;
  display_name: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export interface PackageVersionsTable {
  id: string;
  package_id: string;
  version: string;
  metadata: string;
  created_at: number;
  /** JSON of core/packages/publisher.ts; null before migration 0010. */
}

export interface PackageFilesTable {
  id: string;
  package_id: string;
  version_id: string;
  filename: string;
  blob_digest: string;
  size: number;
  metadata: string;
  created_at: number;
}

/** A protocol's rendering of a whole package (migration 0080), valid while `revision` equals packages.metadata. */
export interface PackageRenderingsTable {
  package_id: string;
  kind: string;
  revision: string;
  body: string;
}

/** Blobs a package file's metadata points at besides its own (PyPI's core metadata): kept as long as the file. */
export interface PackageFileBlobsTable {
  file_id: string;
  digest: string;
}

export interface PackageTagsTable {
  package_id: string;
  tag: string;
  version: string;
}

export interface OciRepositoriesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface OciBlobsTable {
  digest: string;
  size: number | null;
  created_at: number;
  touched_at: number;
}

export interface OciRepositoryBlobsTable {
  repository_id: string;
  digest: string;
  created_at: number;
}

export interface OciManifestsTable {
  repository_id: string;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  subject_digest: string | null;
  size: number;
  /** JSON object of strings, or null. */
  annotations: string | null;
  created_at: number;
  /** JSON of core/packages/publisher.ts; null before migration 0010. */
}

export interface OciManifestReferencesTable {
  repository_id: string;
  manifest_digest: string;
  child_digest: string;
  kind: string;
}

export interface OciTagsTable {
  repository_id: string;
  name: string;
  manifest_digest: string;
  updated_at: number;
}

export interface OciUploadsTable {
  id: string;
  repository: string;
  started_at: number;
  /** The credential that started it (`token:<id>`, `session:<id>`, `user:<id>`); null before migration 0065. */
  started_by: string | null;
}

export interface OciSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface EnvironmentsTable {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface PullEventsTable {
  id: Generated<number>;
  environment_id: string;
  token_id: string;
  repository: string;
  tag: string | null;
  digest: string;
  method: string;
  at: number;
  ip: string | null;
  client: string | null;
}

export interface DeploymentsTable {
  id: string;
  environment_id: string;
  repository: string;
  run: number;
  digest: string;
  tag: string | null;
  first_seen: number;
  last_seen: number;
  pull_count: number;
}

export interface ReleasesTable {
  id: Generated<number>;
  name: string;
  version: string;
  notes: string | null;
  source_commit: string | null;
  source_branch: string | null;
  source_pr: string | null;
  source_author: string | null;
  source_url: string | null;
  created_at: number;
  created_by: string;
  created_by_token: string | null;
  /** 1 for a release the registry grouped from a CI run's publications (it grows; an explicit one replaces it). */
  automatic: Generated<number>;
}

export interface PublicationsTable {
  id: Generated<number>;
  type: string;
  name: string;
  reference: string;
  published_at: number;
  actor: string;
  user_id: string;
  token_id: string | null;
  token_name: string | null;
  ci: string | null;
  /** The publisher's email when it was published (npm's `_npmUser`). */
  email: string | null;
}

export interface ReleaseArtifactsTable {
  release_id: number;
  position: number;
  type: string;
  name: string;
  digest: string | null;
  version: string | null;
}

export interface OidcTrustPoliciesTable {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  rules: string;
  permission: string;
  scope: string | null;
  environment: string | null;
  token_ttl_seconds: number;
  created_by: string;
  created_at: number;
}

export interface OidcUsedJtisTable {
  issuer: string;
  jti: string;
  expires_at: number;
}

export interface TokenCiProvenanceTable {
  token_id: string;
  policy_id: string;
  issuer: string;
  subject: string;
  repository: string | null;
  ref: string | null;
  ref_name: string | null;
  ref_type: string | null;
  pull_request: string | null;
  sha: string | null;
  workflow: string | null;
  run_id: string | null;
  run_url: string | null;
  actor: string | null;
}

export interface CredentialHelperTokensTable {
  token_id: string;
  session_id: string;
  nonce: string;
}

export interface NotificationEventsTable {
  id: string;
  type: string;
  occurred_at: number;
  /** JSON: actor, target and details of the event. */
  payload: string;
  fanned_out_at: number | null;
}

export interface WebhooksTable {
  id: string;
  name: string;
  url: string;
  secret: string;
  /** JSON array of event types. */
  events: string;
  format: string;
  /** 1 or 0 (SQLite has no boolean). */
  enabled: number;
  created_by: string;
  created_at: number;
}

export interface NotificationDeliveriesTable {
  id: string;
  event_id: string;
  channel: string;
  webhook_id: string | null;
  recipient: string | null;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
}

export interface TokenExpiryNoticesTable {
  token_id: string;
  state: string;
  notified_at: number;
}

export interface StorageProbesTable {
  name: string;
  probed_at: number;
}

export interface ShareLinksTable {
  id: string;
  secret_hash: string;
  package_name: string;
  version: string;
  file: string | null;
  note: string | null;
  created_by: string;
  created_by_user_id: string;
  created_at: number;
  expires_at: number;
  max_downloads: number | null;
  download_count: Generated<number>;
  last_download_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  tokens: TokensTable;
  audit_events: AuditEventsTable;
  packages: PackagesTable;
  package_versions: PackageVersionsTable;
  package_files: PackageFilesTable;
  package_tags: PackageTagsTable;
  package_file_blobs: PackageFileBlobsTable;
  package_renderings: PackageRenderingsTable;
  oci_repositories: OciRepositoriesTable;
  oci_blobs: OciBlobsTable;
  oci_repository_blobs: OciRepositoryBlobsTable;
  oci_manifests: OciManifestsTable;
  oci_manifest_references: OciManifestReferencesTable;
  oci_tags: OciTagsTable;
  oci_uploads: OciUploadsTable;
  oci_secrets: OciSecretsTable;
  environments: EnvironmentsTable;
  pull_events: PullEventsTable;
  deployments: DeploymentsTable;
  releases: ReleasesTable;
  release_artifacts: ReleaseArtifactsTable;
  npm_web_logins: NpmWebLoginsTable;
  oidc_trust_policies: OidcTrustPoliciesTable;
  oidc_used_jtis: OidcUsedJtisTable;
  token_ci_provenance: TokenCiProvenanceTable;
  publications: PublicationsTable;
  credential_helper_tokens: CredentialHelperTokensTable;
  token_secrets: TokenSecretsTable;
  notification_events: NotificationEventsTable;
  webhooks: WebhooksTable;
  notification_deliveries: NotificationDeliveriesTable;
  token_expiry_notices: TokenExpiryNoticesTable;
  storage_probes: StorageProbesTable;
  share_links: ShareLinksTable;
}
