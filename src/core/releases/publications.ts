import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { isAppError } from '../errors.js';
import type { CiProvenance } from '../oidc/model.js';
import type { MetadataStore } from '../ports.js';
import { isImageArtifact, type Publication, type Release, type ReleaseArtifact } from './model.js';
import { releaseNameInput, versionInput } from './release-input.js';

export interface PublicationServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  /** Recording runs after the artifact is stored: a failure here is reported, never the publisher's error. */
  onError(error: unknown): void;
}

/** Concurrent publications of one run race to create its release; the loser finds it on the next attempt. */
const ATTEMPTS = 3;

/**
 * The hook every protocol calls once an artifact is stored: it records who or what published it, and when
 * the credential is a token a CI job got by OIDC exchange, adds the artifact to the run's automatic release
 * (named after the repository, versioned by the tag or short commit, its source links from the claims).
 * An explicit release of the same name and version wins: nothing is added to it, and creating one replaces
 * the automatic release (ReleaseService.create).
 */
export class PublicationService {
  constructor(private readonly deps: PublicationServiceDeps) {}

  async record(principal: Principal, artifact: ReleaseArtifact, ctx: RequestContext | null): Promise<void> {
    try {
      await this.recordChecked(principal, artifact, ctx);
    } catch (error) {
      this.deps.onError(error);
    }
  }

  /** Who published these artifacts, latest publication of each, keyed by artifactKey(). */
  latestFor(artifacts: ReleaseArtifact[]): Promise<Map<string, Publication>> {
    return this.deps.store.publications.latestFor(artifacts);
  }

  async list(actor: Principal, query: { type: ReleaseArtifact['type']; name: string; limit: number }): Promise<Publication[]> {
    authorize(actor, 'pull', { kind: 'artifact', protocol: query.type, name: query.name });
    return this.deps.store.publications.list(query);
  }

  private async recordChecked(principal: Principal, artifact: ReleaseArtifact, ctx: RequestContext | null): Promise<void> {
    const tokenId = principal.token?.id;
    const ci = tokenId === undefined ? null : ((await this.deps.store.oidc.provenanceFor([tokenId])).get(tokenId) ?? null);
    await this.deps.store.publications.insert({
      artifact,
      publishedAt: this.deps.clock.now(),
      actor: actorName(principal),
      userId: principal.user.id,
      tokenId: principal.token?.id ?? null,
      tokenName: principal.token?.name ?? null,
      ci,
      email: (await this.deps.store.users.byId(principal.user.id))?.email ?? null,
    });
    if (!ci) return;
    const identity = automaticIdentity(ci);
    if (!identity) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.store.transaction((tx) => this.addToRunRelease(tx, principal, ci, identity, artifact, ctx));
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !isAppError(error) || error.code !== 'conflict') throw error;
      }
    }
  }

  private async addToRunRelease(
    tx: MetadataStore,
    principal: Principal,
    ci: CiProvenance,
    identity: { name: string; version: string },
    artifact: ReleaseArtifact,
    ctx: RequestContext | null,
  ): Promise<void> {
    const existing = await tx.releases.byNameAndVersion(identity.name, identity.version);
    if (existing && !existing.automatic) return;
    if (existing) {
      // One artifact per repository or package: a later push of the same image (an index after its
      // platform manifests, a re-push) replaces the earlier one.
      const others = existing.artifacts.filter((a) => slot(a) !== slot(artifact));
      await tx.releases.setArtifacts(existing.id, [...others, artifact]);
      return;
    }
    const release: Omit<Release, 'id'> = {
      ...identity,
      artifacts: [artifact],
      source: {
        commit: ci.sha,
        branch: ci.refType === 'branch' ? ci.refName : null,
        pr: ci.pullRequest,
        author: ci.actor,
        url: ci.runUrl,
      },
      notes: null,
      createdAt: this.deps.clock.now(),
      createdBy: actorName(principal),
      createdByTokenId: principal.token?.id ?? null,
      automatic: true,
    };
    const id = await tx.releases.insert(release);
    await this.deps.audit.record(
      tx.audit,
      {
        actor: actorName(principal),
        action: 'release.created',
        target: { type: 'release', id: String(id), name: `${release.name} ${release.version}` },
        details: { automatic: true, source: release.source, repository: ci.repository, runId: ci.runId },
      },
      ctx,
    );
  }
}

/** One artifact per repository or package in a release; names arrive as the protocol stores them. */
const slot = (a: ReleaseArtifact): string => `${a.type}\n${isImageArtifact(a) ? a.repository : a.name}`;

/**
 * The run's release name and version: the repository (lowercased, other characters as "-"), and the tag
 * when the run built one, else the commit's first 7 characters. Null when the claims give neither.
 */
export function automaticIdentity(ci: CiProvenance): { name: string; version: string } | null {
  const name = (ci.repository ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._/-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const candidates = [ci.refType === 'tag' ? ci.refName : null, ci.sha ? ci.sha.slice(0, 7) : null];
  const version = candidates.find((v): v is string => v !== null && versionInput.safeParse(v).success);
  if (!releaseNameInput.safeParse(name).success || version === undefined) return null;
  return { name, version };
}
