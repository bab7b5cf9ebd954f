/**
 * The management API's answers (/api/v1) as JSON carries them: the one definition of the contract.
 * The API layer builds every answer against these types (src/api/serialize.ts and the route handlers),
 * and the CLI, the MCP tools and Fly Web read them through these types, so a change that breaks the
 * contract fails the type check. Times are ISO-8601 strings.
 *
 * Types only: Fly Web compiles this file too (web/src/api/types.ts re-exports it), in the browser's
 * tsconfig, without Node types; its one import is core's vocabulary (src/core/model.ts, which imports nothing).
 */

// The vocabulary is core's own (roles, statuses, permissions), sent as is.
export type { Permission, Role, TokenStatus, UserStatus } from '../core/model.js';
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
  token: { id: string; name: string; username: string; permission: Permission; environmentId: string | null } | null;
  permission: Permission;
  environmentId: string | null;
  can: { pull: boolean; push: boolean; delete: boolean; manageTokens: boolean; manageUsers: boolean };
  /** Only for a session cookie: what writes must send as X-CSRF-Token. */
  csrfToken?: string;
}

/** GET /endpoints: where Docker, npm and pip reach this registry. */
export interface RegistryEndpoints {
  publicUrl: string;
  docker: { registry: string };
  npm: { registry: string; authKey: string };
  pypi: { indexUrl: string };
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
}

export interface KubernetesPullSecret {
  namespace: string;
  secretName: string;
  /** A `kubernetes.io/dockerconfigjson` Secret manifest (YAML), ready for `kubectl apply -f -`. */
  manifest: string;
  /** The equivalent `kubectl create secret docker-registry …` command. */
  kubectl: string;
}

/** Ready-to-paste client configuration for a new token. */
export interface TokenSnippets {
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
  kubernetes: KubernetesPullSecret;
}

/** A token creation answer: the only answer that ever carries the secret. */
export interface CreatedToken extends Token {
  token: string;
  snippets: TokenSnippets;
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
}

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
  | { type: 'pypi'; name: string; version: string };

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

/** POST /auth/logout. */
export interface LoggedOut {
  loggedOut: true;
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
