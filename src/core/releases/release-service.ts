import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { keysetPage } from '../keyset-page.js';
import { parseInput } from '../validation.js';
import { artifactProblems } from './artifact-check.js';
import type { Release } from './model.js';
import { createReleaseInput, releaseSearchQuery, type ArtifactProtocols } from './release-input.js';

export interface ReleaseServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  /** The protocols whose artifacts a release may name (the protocol registry's entries). */
  protocols: ArtifactProtocols;
}

/** Releases: recorded by CI with a read & write token (or by a person), immutable once created. */
export class ReleaseService {
  private readonly input: ReturnType<typeof createReleaseInput>;

  constructor(private readonly deps: ReleaseServiceDeps) {
    this.input = createReleaseInput(deps.protocols);
  }

  async create(actor: Principal, input: unknown, ctx: RequestContext): Promise<Release> {
    authorize(actor, 'push', { kind: 'release' });
    const parsed = parseInput(this.input, input);
    const problems = await artifactProblems(this.deps.store, this.deps.protocols, parsed.artifacts);
    if (problems.length > 0) {
      throw Errors.validation(`Release ${parsed.name} ${parsed.version} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
    }
    const release: Omit<Release, 'id'> = {
      name: parsed.name,
      version: parsed.version,
      artifacts: parsed.artifacts,
      source: {
        commit: parsed.source?.commit ?? null,
        branch: parsed.source?.branch ?? null,
        pr: parsed.source?.pr ?? null,
        author: parsed.source?.author ?? null,
        url: parsed.source?.url ?? null,
      },
      notes: parsed.notes ?? null,
      createdAt: this.deps.clock.now(),
      createdBy: actorName(actor),
      createdByTokenId: actor.token?.id ?? null,
      automatic: false,
    };
    const id = await this.deps.store.transaction(async (tx) => {
      // An explicit release wins over the one the registry grouped from a CI run's publications.
      const automatic = await tx.releases.byNameAndVersion(release.name, release.version);
      if (automatic?.automatic) await tx.releases.delete(automatic.id);
      const id = await tx.releases.insert(release);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'release.created',
          target: { type: 'release', id: String(id), name: `${release.name} ${release.version}` },
          details: { artifacts: release.artifacts, source: release.source, ...(automatic?.automatic ? { replacedAutomatic: automatic.id } : {}) },
        },
        ctx,
      );
      return id;
    });
    return { ...release, id };
  }

  async get(actor: Principal, id: string): Promise<Release> {
    authorize(actor, 'pull', { kind: 'release' });
    const numeric = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : undefined;
    const release = numeric === undefined ? undefined : await this.deps.store.releases.byId(numeric);
    if (!release) throw Errors.notFound('Release', id);
    return release;
  }

  /** Newest first; filter by name, version, artifact digest or artifact name; page with `nextBefore`. */
  async search(actor: Principal, query: unknown): Promise<{ releases: Release[]; nextBefore: number | null }> {
    authorize(actor, 'pull', { kind: 'release' });
    const q = parseInput(releaseSearchQuery, query, 'Query');
    const { items, next } = keysetPage(await this.deps.store.releases.search({ ...q, limit: q.limit + 1 }), q.limit, (r) => r.id);
    return { releases: items, nextBefore: next };
  }
}
