/**
 * The management API's answers (/api/v1) as JSON carries them: the one definition of the contract.
 * The API layer builds every answer against these types (src/api/serialize.ts and the route handlers),
 * and the CLI, the MCP tools and Fly Web read them through these types, so a change that breaks the
 * contract fails the type check. Times are ISO-8601 strings.
 *
 * Fly Web compiles this file too (web/src/api/types.ts re-exports its types), in the browser's tsconfig,
 * without Node types; it imports only core's vocabulary, types that need no Node (src/core/model.ts,
 * src/core/oidc/model.ts, src/core/notifications/model.ts).
 * Per-protocol parts (endpoints, snippets, release artifacts) have one member per protocol of the protocol
 * registry (src/protocols/registry.ts), which builds them.
 */

// The vocabulary is core's own (roles, statuses, permissions), sent as is.
export type { Permission, Role, TokenStatus, UserStatus } from '../core/model.js';
export { PERMISSIONS } from '../core/model.js';
/** How a scope entry reads (`oci:team/*`, `npm:@acme/* (pull)`), the same in the CLI, the agent and Fly Web. */
export { formatScopeEntry } from '../core/auth/scope-grant.js';
import type { Permission, Role, TokenStatus, UserStatus } from '../core/model.js';

// Sessions and identity.

export interface User {
  id: string;
  username: string;
  email: string;
  name: string | null;
  role: Role;
  status: UserStatus;
  createdAt: string;
  lastLoginAt: string | null;
}

/** POST /auth/login. The session cookie carries the same session; scripts use `sessionToken` as a bearer. */
export interface LoginAnswer {
  user: User;
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

/** GET /whoami: who the credential belongs to and what it may do. */
export interface Whoami {
  kind: 'user' | 'token';
  user: { id: string; username: string; role: Role };
  token: {
    id: string;
    name: string;
    username: string;
    permission: Permission;
    environmentId: string | null;
    expiresAt: string | null;
    /** Expiring within the warning window (FLY_TOKEN_EXPIRY_WARNING_DAYS): rotate it. */
    expiringSoon: boolean;
    /** Set when the request used a secret a rotation replaced: when it stops working. */
    secretRetiresAt: string | null;
    /** Fine-grained scope (null = the whole registry). */
    scope: readonly ScopeGrant[] | null;
  } | null;
  permission: Permission;
  environmentId: string | null;
  can: { pull: boolean; push: boolean; delete: boolean; manageTokens: boolean; manageUsers: boolean };
  /** Only for a session cookie: what writes must send as X-CSRF-Token. */
  csrfToken?: string;
}

/** GET /endpoints: where Docker, npm and pip reach this registry; one key per protocol (its registry entry's `endpoint.key`). */
export interface RegistryEndpoints {
  [protocol: string]: string | Record<string, string>;
  publicUrl: string;
  /**
   * Every protocol's snippets with `<token username>` and `<token>` in place of a credential (a token's
   * creation answer carries them filled in). Not a protocol: no protocol has this endpoint key.
   */
  snippets: Record<string, string>;
  docker: { registry: string };
  npm: { registry: string; authKey: string };
  pypi: { indexUrl: string };
  maven: { repositoryUrl: string; serverId: string };
  generic: { baseUrl: string };
  go: { proxy: string; netrcMachine: string };
  helm: { repository: string; ociRegistry: string };
  cargo: { index: string };
}

// Tokens.

/** A token as the API shows it: never the secret, never its hash. */
export interface Token {
  id: string;
  name: string;
  username: string;
  permission: Permission;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  status: TokenStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  environmentId: string | null;
  /** The environment's name; null for a token without one (or whose environment was deleted). */
  environment: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedClient: string | null;
  useCount: number;
  /** For a token a CI job got by exchanging its OIDC ID token: the run it was issued to. */
  ci: CiRun | null;
  /** A short-lived token `docker-credential-flyreg` minted for a login session (listed only while active). */
  credentialHelper: boolean;
  /** Active and expiring within the warning window (FLY_TOKEN_EXPIRY_WARNING_DAYS, default 7 days). */
  expiringSoon: boolean;
  /** After a rotation, the replaced secret while it still works (its overlap); null otherwise. In lists and single answers. */
  previousSecret: PreviousSecret | null;
  /** Fine-grained scope: the resource patterns per protocol it may reach, with the actions; null = the whole registry. */
  scope: ScopeGrant[] | null;
}

/** The secret a rotation replaced, during its overlap: whether it is still in use tells whether everyone switched. */
export interface PreviousSecret {
  retiresAt: string;
  lastUsedAt: string | null;
  usedSinceRotation: boolean;
  rotatedAt: string;
}

/** POST /tokens/scope-preview: per pattern, the first names it matches among those you may see. */
export interface ScopePreview {
  matches: { entry: string; protocol: string; resource: string; names: string[]; more: boolean }[];
}

export interface KubernetesPullSecret {
  namespace: string;
  secretName: string;
  /** A `kubernetes.io/dockerconfigjson` Secret manifest (YAML), ready for `kubectl apply -f -`. */
  manifest: string;
  /** The equivalent `kubectl create secret docker-registry …` command. */
  kubectl: string;
}

/** Ready-to-paste client configuration for a new token: each protocol's snippets (its registry entry's `snippets[].key`). */
export interface TokenSnippets {
  [key: string]: string | KubernetesPullSecret;
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
  /** A whole ~/.m2/settings.xml: the token as a `<server>`, the repository and plugin repository, the deploy target. */
  mavenSettingsXml: string;
  /** The pom's `<distributionManagement>`, for projects that name their deploy target there. */
  mavenPomDistributionManagement: string;
  /** Gradle (Kotlin DSL): gradle.properties lines and the `repositories`/`publishing` blocks. */
  gradle: string;
  genericCurl: string;
  goEnv: string;
  helmRepoAdd: string;
  cargoConfig: string;
  kubernetes: KubernetesPullSecret;
}

/** A token creation answer: the only answer that ever carries the secret. */
export interface CreatedToken extends Token {
  token: string;
  snippets: TokenSnippets;
}

/** POST /tokens/:id/rotate: the new secret (shown this once) and snippets, for the same token. */
export interface RotatedToken extends CreatedToken {
  /** When the replaced secret stops working (the end of the overlap). */
  previousSecretRetiresAt: string;
}

export interface TokenList {
  tokens: Token[];
}

export interface RevokedToken {
  token: Token;
  alreadyRevoked: boolean;
  message: string;
}

/** DELETE answers. */
export interface Deleted {
  deleted: true;
}

// Users and invitations.

export interface UserList {
  users: User[];
}

/** POST /users: the one-time invitation link to hand over. */
export interface Invitation {
  user: User;
  invitationToken: string;
  invitationUrl: string;
  expiresAt: string;
  /** Whether the link was also emailed to the person (SMTP configured, and the send succeeded). */
  emailed: boolean;
}

/** GET /invitations/:token: what the sign-up page shows before the password is set. */
export interface InvitationInfo {
  username: string;
  email: string;
  expiresAt: string;
}

export interface AcceptedInvitation {
  user: User;
}

// npm web login.

/** GET /npm-logins/:id: an `npm login` waiting in a terminal, as the approval page shows it. */
export interface NpmWebLoginRequest {
  id: string;
  /** pending: awaiting a decision; approved: npm is about to collect its token; consumed: it has. */
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'consumed';
  /** What npm said its machine is called. */
  hostname: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  /** npm (approval gives it a token) or the flyreg CLI (approval gives it a login session). */
  client: 'npm' | 'cli';
  /** The code `flyreg login` printed, to compare with the terminal (CLI requests only). */
  code: string | null;
}

/** POST /cli-logins: where the person approves, the code to compare, and the secret only the CLI holds. */
export interface CliLoginStarted {
  id: string;
  loginUrl: string;
  code: string;
  pollSecret: string;
  expiresAt: string;
  intervalSeconds: number;
}

/** POST /cli-logins/:id/poll: pending until approved, then (once) the new login session. */
export type CliLoginPoll = { state: 'pending'; retryAfterSeconds: number } | { state: 'approved'; sessionToken: string; expiresAt: string };

// Audit log.

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string | null; name: string | null };
  ip: string | null;
  details: Record<string, unknown>;
}

/** Newest first; `nextBefore` fetches the following page. */
export interface AuditPage {
  events: AuditEvent[];
  nextBefore: number | null;
}

// Environments and what runs in them.

export interface Environment {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentList {
  environments: Environment[];
}

/** GET /environments/:name: the environment and its tokens. */
export interface EnvironmentProfile extends Environment {
  tokens: Token[];
}

export interface CreatedEnvironment {
  environment: Environment;
  /** The first token, when the request asked for one. */
  token: CreatedToken | null;
}

export interface DeletedEnvironment extends Deleted {
  revokedTokens: number;
}

/** Enough of a release to name it beside an image. */
export interface ReleaseRef {
  id: number;
  name: string;
  version: string;
  createdAt: string;
}

/** One uninterrupted run of one image in an environment, derived from pulls. */
export interface Deployment {
  repository: string;
  digest: string;
  tag: string | null;
  firstSeen: string;
  lastSeen: string;
  pullCount: number;
  /** Whether this is what the environment runs now for the repository. */
  running: boolean;
  /** The newest release containing this image, if any. */
  release: ReleaseRef | null;
}

export interface DeploymentTimeline {
  environment: string;
  deployments: Deployment[];
  /** Pass as ?cursor= for the following page; null on the last one. */
  nextCursor: string | null;
}

/** What an environment runs now for one repository. */
export interface RunningImage {
  repository: string;
  digest: string;
  tag: string | null;
  since: string;
  lastSeen: string;
  pullCount: number;
  release: ReleaseRef | null;
}

export interface EnvironmentState {
  environment: string;
  repositories: RunningImage[];
}

export interface Drift extends RunningImage {
  status: 'up-to-date' | 'behind' | 'unknown';
  /** How many newer releases contain the repository: 0 when up to date, null when the image is in no release. */
  behind: number | null;
  /** The newest release containing the repository, and the image it names. */
  latest: (ReleaseRef & { digest: string }) | null;
}

export interface EnvironmentDrift {
  environment: string;
  repositories: Drift[];
}

/** Repositories whose running images differ between environments a and b (null: not running there). */
export interface Comparison {
  a: string;
  b: string;
  repositories: { repository: string; a: RunningImage | null; b: RunningImage | null }[];
}

// Releases.

export type ReleaseArtifact =
  | { type: 'oci'; repository: string; digest: string }
  | { type: 'npm'; name: string; version: string }
  | { type: 'pypi'; name: string; version: string }
  /** `name` is `groupId:artifactId`. */
  | { type: 'maven'; name: string; version: string }
  | { type: 'generic'; name: string; version: string }
  | { type: 'go' | 'helm' | 'cargo'; name: string; version: string };

/** The CI run or change a release came from; null where it was not said. */
export type ReleaseSource = Record<'commit' | 'branch' | 'pr' | 'author' | 'url', string | null>;

export interface Release {
  id: number;
  name: string;
  version: string;
  artifacts: ReleaseArtifact[];
  source: ReleaseSource;
  notes: string | null;
  createdAt: string;
  /** The actor as the audit log names it (user, or user and token). */
  createdBy: string;
  /** Grouped by the registry from a CI run's publications (OIDC tokens); an explicit release of the same name and version replaces it. */
  automatic: boolean;
  /** Who or what published the artifacts: the latest publication of each one the registry saw published. */
  publishedBy: Publication[];
}

/** Who or what published an artifact: the actor, the token, and for an OIDC-exchanged token the CI run. */
export interface Publication {
  artifact: ReleaseArtifact;
  publishedAt: string;
  actor: string;
  tokenId: string | null;
  tokenName: string | null;
  ci: CiRun | null;
}

/** GET /publications: newest first. */
export interface PublicationList {
  publications: Publication[];
}

/** Newest first; `nextBefore` fetches the following page. */
export interface ReleasePage {
  releases: Release[];
  nextBefore: number | null;
}

// Python packages.

/** POST /pypi/projects/:project/versions/:version/yank and …/unyank. */
export interface YankAnswer {
  project: string;
  version: string;
  yanked: boolean;
  reason: string | null;
}

/** DELETE /pypi/projects/:project/versions/:version: the yanked release is gone with this many files. */
export interface DeletedRelease {
  project: string;
  version: string;
  files: number;
}

/** POST /auth/logout. */
export interface LoggedOut {
  loggedOut: true;
}

// OIDC exchange for CI.

// A trust policy is core's own shape (core/oidc/model.ts, types only), with its time as JSON sends it.
export type { ClaimRule, ScopeGrant } from '../core/oidc/model.js';
import type { TrustPolicy as CoreTrustPolicy } from '../core/oidc/model.js';
import type { ScopeGrant } from '../core/auth/scope-grant.js';

export type TrustPolicy = Omit<CoreTrustPolicy, 'createdAt'> & { createdAt: string };

export interface TrustPolicyList {
  policies: TrustPolicy[];
}

/** What an exchanged token remembers of the CI run it was issued to (from the verified ID token). */
export interface CiRun {
  trustPolicyId: string;
  issuer: string;
  subject: string;
  repository: string | null;
  ref: string | null;
  refName: string | null;
  refType: 'tag' | 'branch' | null;
  pullRequest: string | null;
  sha: string | null;
  workflow: string | null;
  runId: string | null;
  runUrl: string | null;
  actor: string | null;
}

/** POST /oidc/exchange: a short-lived token (secret shown this once), the policy that allowed it. */
export interface OidcExchange extends CreatedToken {
  trustPolicy: string;
}

/** POST /credential-helper/token: the session's short-lived helper token (the same one again while it lasts). */
export interface HelperTokenAnswer {
  id: string;
  username: string;
  token: string;
  expiresAt: string;
  reused: boolean;
}

/** DELETE /credential-helper/token. */
export interface HelperTokensRevoked {
  revoked: number;
}

// Packages: everything the registry stores, across protocols.

/** One package (npm, PyPI…) or OCI repository in GET /packages. */
export interface PackageEntry {
  protocol: string;
  name: string;
  displayName: string;
  versionCount: number;
  latest: string | null;
  updatedAt: string;
}

/** GET /packages: name order; pass `next` as ?after= for the following page (null on the last). */
export interface PackagePage {
  packages: PackageEntry[];
  next: string | null;
  /** Every protocol the registry lists, for the filter. */
  protocols: { protocol: string; label: string }[];
}

export interface PackagePublisher {
  username: string;
  /** The token's name when a registry token published it; null for a signed-in user. */
  tokenName: string | null;
}

export interface PackageVersion {
  /** The version (npm, PyPI) or the manifest digest (OCI): what actions name. */
  id: string;
  tags: string[];
  digest: string | null;
  size: number;
  kind: string;
  platforms: { os: string; architecture: string; variant: string | null; digest: string }[];
  createdAt: string;
  publishedBy: PackagePublisher | null;
  deprecated: string | null;
  yanked: string | null;
  install: string;
  files: { filename: string; size: number; digest: string }[];
}

/** Where an image runs: one environment's run of one digest. */
export interface PackageDeployment {
  environment: string;
  environmentColor: string | null;
  digest: string;
  tag: string | null;
  firstSeen: string;
  lastSeen: string;
  pullCount: number;
  /** Whether the environment runs it now. */
  running: boolean;
}

/** GET /packages/:protocol/:name. */
export interface PackageDetail extends PackageEntry {
  versions: PackageVersion[];
  /** Only the newest versions are listed. */
  truncated: boolean;
  deployments: PackageDeployment[];
  releases: Release[];
  /** Actions the caller may take (`delete`, `deprecate`, `undeprecate`, `yank`, `unyank`). */
  actions: string[];
}

// Leak reports and notifications.

export type { AnyEventType, DeliveryChannel, DeliveryStatus, NotificationEventType, WebhookFormat } from '../core/notifications/model.js';
export { NOTIFICATION_EVENT_TYPES, WEBHOOK_FORMATS } from '../core/notifications/model.js';
import type { Delivery as CoreDelivery, NotificationEventType, Webhook as CoreWebhook } from '../core/notifications/model.js';

/** POST /tokens/report-leak: the same answer whatever the secret was. */
export interface LeakReported {
  message: string;
}

/** A webhook as admins see it (core's shape with a JSON time), secret included: they configure the receiver with it. */
export type Webhook = Omit<CoreWebhook, 'createdAt'> & { createdAt: string };

/** GET /webhooks: the webhooks and every event one may subscribe to. */
export interface WebhookList {
  webhooks: Webhook[];
  events: readonly NotificationEventType[];
  /** Whether SMTP is configured (expiring-soon and leaked tokens are then emailed to their creators). */
  email: boolean;
}

/** One line of a webhook's delivery log: core's delivery with JSON times, without the recipient fields. */
export type WebhookDelivery = Omit<CoreDelivery, 'webhookId' | 'recipient' | 'nextAttemptAt' | 'lastAttemptAt' | 'createdAt'> & {
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
};

export interface WebhookDeliveryList {
  deliveries: WebhookDelivery[];
}

/** POST /webhooks/:id/test. */
export interface WebhookTestQueued {
  eventId: string;
  message: string;
}

// Share links (generic files for people without an account).

/** A share link as listed: never its secret. `status`: revoked > expired > used-up > active. */
export interface ShareLink {
  id: string;
  name: string;
  version: string;
  /** One file of the version, or null for all of its files. */
  file: string | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  maxDownloads: number | null;
  downloadCount: number;
  lastDownloadAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  status: 'active' | 'expired' | 'revoked' | 'used-up';
}

/** The creation answer: the only one that carries the link's secret URL. */
export interface CreatedShareLink extends ShareLink {
  url: string;
}

export interface ShareLinkList {
  shareLinks: ShareLink[];
}

/** GET /share/<link> asked for JSON: the files it opens, each downloadable at `<link>/<file>`. */
export interface SharedFiles {
  name: string;
  version: string;
  expiresAt: string;
  files: { file: string; size: number; sha256: string }[];
}
