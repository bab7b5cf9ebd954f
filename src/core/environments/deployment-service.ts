import { z } from 'zod';
import { authorize } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { imageKey, type ImageRef } from '../releases/ports.js';
import type { ReleaseRef } from '../releases/model.js';
import { parseInput } from '../validation.js';
import type { EnvironmentService } from './environment-service.js';
import type { Deployment } from './model.js';
import { keysetPage } from '../keyset-page.js';

export const timelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Chronological (asc, the default) or newest first (desc). */
  order: z.enum(['asc', 'desc']).default('asc'),
  repository: z.string().min(1).max(255).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^[0-9]{1,16}_[0-9a-f-]{36}$/, 'must be the nextCursor of a previous page')
    .optional(),
});

export const compareQuery = z.strictObject({
  a: z.string().min(1, 'name the first environment'),
  b: z.string().min(1, 'name the second environment'),
});

/** A deployment on the timeline: whether the environment runs it now, and the newest release containing its image. */
export interface TimelineEntry {
  deployment: Deployment;
  running: boolean;
  release: ReleaseRef | null;
}

/** What an environment runs now for one repository: its latest deployment, and the newest release containing the image. */
export interface RunningImage {
  deployment: Deployment;
  release: ReleaseRef | null;
}

export type DriftStatus = 'up-to-date' | 'behind' | 'unknown';

export interface DriftEntry extends RunningImage {
  status: DriftStatus;
  /** How many newer releases contain the repository: 0 when up to date, null when the image is in no release. */
  behind: number | null;
  /** The newest release containing the repository, and the image it names. */
  latest: { release: ReleaseRef; digest: string } | null;
}

/** Repositories whose running images differ between environments a and b (null: not running there). */
export interface EnvironmentComparison {
  a: string;
  b: string;
  repositories: { repository: string; a: RunningImage | null; b: RunningImage | null }[];
}

const cursorOf = (d: Deployment) => `${d.firstSeen.getTime()}_${d.id}`;

export interface DeploymentServiceDeps {
  store: MetadataStore;
  environments: EnvironmentService;
}

/** What environments run, derived from pulls: timeline, current state, drift from releases, comparisons. */
export class DeploymentService {
  constructor(private readonly deps: DeploymentServiceDeps) {}

  async timeline(actor: Principal, name: string, query: unknown): Promise<{ environment: string; deployments: TimelineEntry[]; nextCursor: string | null }> {
    const environment = await this.deps.environments.resolve(actor, name);
    const q = parseInput(timelineQuery, query, 'Query');
    let after: { firstSeen: Date; id: string } | undefined;
    if (q.cursor) {
      const [ms, id] = q.cursor.split('_');
      after = { firstSeen: new Date(Number(ms)), id: id ?? '' };
    }
    const [rows, current] = await Promise.all([
      this.deps.store.deployments.timeline(environment.id, { limit: q.limit + 1, order: q.order, repository: q.repository, after }),
      this.deps.store.deployments.current(environment.id),
    ]);
    const { items: page, next } = keysetPage(rows, q.limit, cursorOf);
    const running = new Set(current.map((d) => d.id));
    const releases = await this.releasesOf(actor, page);
    return {
      environment: environment.name,
      deployments: page.map((d) => ({ deployment: d, running: running.has(d.id), release: releases.get(imageKey(d)) ?? null })),
      nextCursor: next,
    };
  }

  /** Per repository, what runs in the environment now: the image of its latest deployment. */
  async state(actor: Principal, name: string): Promise<{ environment: string; repositories: RunningImage[] }> {
    const environment = await this.deps.environments.resolve(actor, name);
    const current = await this.deps.store.deployments.current(environment.id);
    const releases = await this.releasesOf(actor, current);
    return { environment: environment.name, repositories: current.map((d) => ({ deployment: d, release: releases.get(imageKey(d)) ?? null })) };
  }

  /**
   * For each running repository: up-to-date (it runs the image of the newest release containing the
   * repository), behind (how many newer releases contain it, and the newest), or unknown (in no release).
   * Releases are ordered by creation.
   */
  async drift(actor: Principal, name: string): Promise<{ environment: string; repositories: DriftEntry[] }> {
    const environment = await this.deps.environments.resolve(actor, name);
    authorize(actor, 'pull', { kind: 'release' });
    const current = await this.deps.store.deployments.current(environment.id);
    const releases = this.deps.store.releases;
    const [latest, containing] = await Promise.all([
      releases.latestForRepositories(current.map((d) => d.repository)),
      releases.newestContaining(current),
    ]);
    const outdated = current.flatMap((d) => {
      const own = containing.get(imageKey(d));
      const newest = latest.get(d.repository);
      return own && newest && newest.release.id !== own.id ? [{ repository: d.repository, releaseId: own.id }] : [];
    });
    const newer = await releases.countNewer(outdated);
    return {
      environment: environment.name,
      repositories: current.map((d) => {
        const own = containing.get(imageKey(d)) ?? null;
        const newest = latest.get(d.repository) ?? null;
        const status: DriftStatus = !own ? 'unknown' : newest && newest.release.id !== own.id ? 'behind' : 'up-to-date';
        return {
          deployment: d,
          release: own,
          status,
          behind: status === 'unknown' ? null : status === 'up-to-date' ? 0 : (newer.get(d.repository) ?? 0),
          latest: newest,
        };
      }),
    };
  }

  /** Repositories whose running images differ between two environments (or run in only one), with their releases. */
  async compare(
    actor: Principal,
    query: unknown,
  ): Promise<EnvironmentComparison> {
    const q = parseInput(compareQuery, query, 'Query');
    if (q.a === q.b) throw Errors.validation('Compare two different environments', [{ path: 'b', message: 'must differ from a' }]);
    const [envA, envB] = await Promise.all([this.deps.environments.resolve(actor, q.a), this.deps.environments.resolve(actor, q.b)]);
    const [runA, runB] = await Promise.all([this.deps.store.deployments.current(envA.id), this.deps.store.deployments.current(envB.id)]);
    const byRepoA = new Map(runA.map((d) => [d.repository, d]));
    const byRepoB = new Map(runB.map((d) => [d.repository, d]));
    const repositories = [...new Set([...byRepoA.keys(), ...byRepoB.keys()])]
      .filter((r) => byRepoA.get(r)?.digest !== byRepoB.get(r)?.digest)
      .sort();
    const differing = repositories.flatMap((r) => [byRepoA.get(r), byRepoB.get(r)]).filter((d): d is Deployment => d !== undefined);
    const releases = await this.releasesOf(actor, differing);
    const side = (d: Deployment | undefined): RunningImage | null => (d ? { deployment: d, release: releases.get(imageKey(d)) ?? null } : null);
    return {
      a: envA.name,
      b: envB.name,
      repositories: repositories.map((repository) => ({ repository, a: side(byRepoA.get(repository)), b: side(byRepoB.get(repository)) })),
    };
  }

  /** The newest release containing each image, keyed by imageKey(). */
  private async releasesOf(actor: Principal, images: ImageRef[]): Promise<Map<string, ReleaseRef>> {
    authorize(actor, 'pull', { kind: 'release' });
    return this.deps.store.releases.newestContaining(images);
  }
}
