import type { AuditEvent as AuditRecord, User as UserRecord } from '../core/model.js';
import type { DriftEntry, RunningImage as RunningRecord, TimelineEntry } from '../core/environments/deployment-service.js';
import type { Environment as EnvironmentRecord } from '../core/environments/model.js';
import type { Publication as PublicationRecord, Release as ReleaseRecord, ReleaseRef as ReleaseRefRecord } from '../core/releases/model.js';
import { artifactKey } from '../core/releases/ports.js';
import type { WebLoginView } from '../core/npm/web-login.js';
import type { CiProvenance, TrustPolicy as TrustPolicyRecord } from '../core/oidc/model.js';
import type { IssuedToken, TokenDetails } from '../core/tokens/token-service.js';
import type { PreviousSecret as PreviousSecretRecord, RotatedToken as RotatedTokenRecord } from '../core/tokens/rotation.js';
import type {
  AuditEvent,
  CiRun,
  CreatedToken,
  RotatedToken,
  Deployment,
  Drift,
  Environment,
  NpmWebLoginRequest,
  Publication,
  Release,
  ReleaseArtifact,
  ReleaseRef,
  RunningImage,
  Token,
  TokenSnippets,
  TrustPolicy,
  User,
} from './answers.js';

/**
 * Core results as the management API sends them (answers.ts): every field named, so a record's other
 * fields (a token's or user's hashes) never leave, and times as ISO-8601 strings.
 */

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const ciRunAnswer = (p: CiProvenance): CiRun => ({
  trustPolicyId: p.policyId,
  issuer: p.issuer,
  subject: p.subject,
  repository: p.repository,
  ref: p.ref,
  refName: p.refName,
  refType: p.refType,
  pullRequest: p.pullRequest,
  sha: p.sha,
  workflow: p.workflow,
  runId: p.runId,
  runUrl: p.runUrl,
  actor: p.actor,
});

export const trustPolicyAnswer = (p: TrustPolicyRecord): TrustPolicy => ({
  id: p.id,
  name: p.name,
  issuer: p.issuer,
  audience: p.audience,
  rules: p.rules,
  permission: p.permission,
  scope: p.scope,
  environment: p.environment,
  tokenTtlSeconds: p.tokenTtlSeconds,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
});

export const tokenAnswer = (t: TokenDetails, ci: CiProvenance | null = null, credentialHelper = false, previous: PreviousSecretRecord | null = null): Token => ({
  id: t.id,
  name: t.name,
  username: t.username,
  permission: t.permission,
  createdBy: t.creatorUsername,
  createdAt: t.createdAt.toISOString(),
  expiresAt: iso(t.expiresAt),
  status: t.status,
  revokedAt: iso(t.revokedAt),
  revokedBy: t.revokedBy,
  environmentId: t.environmentId,
  environment: t.environmentName,
  lastUsedAt: iso(t.lastUsedAt),
  lastUsedIp: t.lastUsedIp,
  lastUsedClient: t.lastUsedClient,
  useCount: t.useCount,
  ci: ci && ciRunAnswer(ci),
  credentialHelper,
  expiringSoon: t.expiringSoon,
  previousSecret: previous && {
    retiresAt: previous.retiresAt.toISOString(),
    lastUsedAt: iso(previous.lastUsedAt),
    usedSinceRotation: previous.usedSinceRotation,
    rotatedAt: previous.rotatedAt.toISOString(),
  },
  scope: t.scope ? t.scope.map((g) => ({ protocol: g.protocol, resource: g.resource, actions: [...g.actions] })) : null,
});

/** A rotation's answer: like a creation's (the secret this once, refreshed snippets), plus when the old secret stops. */
export const rotatedTokenAnswer = (rotated: RotatedTokenRecord): RotatedToken => ({
  ...createdTokenAnswer(rotated),
  previousSecretRetiresAt: rotated.previousSecretRetiresAt.toISOString(),
});

export const createdTokenAnswer = (issued: IssuedToken, ci: CiProvenance | null = null): CreatedToken => ({
  ...tokenAnswer(issued.token, ci),
  token: issued.secret,
  // One snippet per protocol of the registry, under the keys the registry names (checked by registry.test.ts).
  snippets: issued.snippets as TokenSnippets,
});

export const userAnswer = (u: UserRecord): User => ({
  id: u.id,
  username: u.username,
  email: u.email,
  name: u.name,
  role: u.role,
  status: u.status,
  createdAt: u.createdAt.toISOString(),
  lastLoginAt: iso(u.lastLoginAt),
});

export const auditEventAnswer = (e: AuditRecord): AuditEvent => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  target: { type: e.targetType, id: e.targetId, name: e.targetName },
  ip: e.ip,
  details: e.details,
});

export const environmentAnswer = (e: EnvironmentRecord): Environment => ({
  id: e.id,
  name: e.name,
  description: e.description,
  color: e.color,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

export const releaseRefAnswer = (r: ReleaseRefRecord): ReleaseRef => ({
  id: r.id,
  name: r.name,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
});

export const publicationAnswer = (p: PublicationRecord): Publication => ({
  // Reported by a registered protocol's handler, so `type` is a protocol id.
  artifact: p.artifact as ReleaseArtifact,
  publishedAt: p.publishedAt.toISOString(),
  actor: p.actor,
  tokenId: p.tokenId,
  tokenName: p.tokenName,
  ci: p.ci && ciRunAnswer(p.ci),
});

/** `publishers` holds the latest publication of artifacts (keyed by artifactKey), as PublicationService.latestFor gives them. */
export const releaseAnswer = (r: ReleaseRecord, publishers: Map<string, PublicationRecord> = new Map()): Release => ({
  id: r.id,
  name: r.name,
  version: r.version,
  // Each artifact's `type` is a registered protocol's id, validated on the way in (core/releases/release-input.ts).
  artifacts: r.artifacts as ReleaseArtifact[],
  source: r.source,
  notes: r.notes,
  createdAt: r.createdAt.toISOString(),
  createdBy: r.createdBy,
  automatic: r.automatic,
  publishedBy: r.artifacts.flatMap((a) => {
    const found = publishers.get(artifactKey(a));
    return found ? [publicationAnswer(found)] : [];
  }),
});

export const deploymentAnswer = ({ deployment: d, running, release }: TimelineEntry): Deployment => ({
  repository: d.repository,
  digest: d.digest,
  tag: d.tag,
  firstSeen: d.firstSeen.toISOString(),
  lastSeen: d.lastSeen.toISOString(),
  pullCount: d.pullCount,
  running,
  release: release && releaseRefAnswer(release),
});

export const runningImageAnswer = ({ deployment: d, release }: RunningRecord): RunningImage => ({
  repository: d.repository,
  digest: d.digest,
  tag: d.tag,
  since: d.firstSeen.toISOString(),
  lastSeen: d.lastSeen.toISOString(),
  pullCount: d.pullCount,
  release: release && releaseRefAnswer(release),
});

export const driftAnswer = (entry: DriftEntry): Drift => ({
  ...runningImageAnswer(entry),
  status: entry.status,
  behind: entry.behind,
  latest: entry.latest && { ...releaseRefAnswer(entry.latest.release), digest: entry.latest.digest },
});

/** An environment's per-repository answer (state, drift), each entry serialized by `one`. */
export const perRepository = <T, A>({ environment, repositories }: { environment: string; repositories: T[] }, one: (entry: T) => A) => ({
  environment,
  repositories: repositories.map(one),
});

/** Never the done secret's hash, nor who decided (the page shows the state). */
export const npmWebLoginAnswer = ({ login, state }: WebLoginView): NpmWebLoginRequest => ({
  id: login.id,
  state,
  hostname: login.hostname,
  ip: login.ip,
  userAgent: login.userAgent,
  createdAt: login.createdAt.toISOString(),
  expiresAt: login.expiresAt.toISOString(),
  decidedAt: iso(login.decidedAt),
  client: login.client,
  code: login.userCode,
});
