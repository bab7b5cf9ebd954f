import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { userPrincipal, type Principal } from '../core/auth/principal.js';
import type { AttributedPull } from '../core/environments/model.js';
import { openInProcessCore } from './in-process-core.js';

export interface QueryFigures {
  pullEvents: number;
  deployments: number;
  insertSeconds: number;
  /** Median and 95th percentile of each query, in milliseconds. */
  timeline: { p50: number; p95: number };
  state: { p50: number; p95: number };
  drift: { p50: number; p95: number };
}

const REPOSITORIES = 50;
/** Each repository moves to a new image every this many of its pulls: 100 deployments per repository. */
const PULLS_PER_DEPLOYMENT = 200;
/** Releases beyond what runs, so drift has something to count. */
const RELEASES_AHEAD = 10;
const BATCH = 10_000;
const RUNS = 40;

const digestOf = (repository: number, image: number) => `sha256:${createHash('sha256').update(`${repository}:${image}`).digest('hex')}`;
const repositoryName = (r: number) => `bench/service-${String(r).padStart(2, '0')}`;

const ADMIN: Principal = userPrincipal({ id: 'bench', username: 'bench', role: 'admin' }, null);

/**
 * Timeline, state and drift on an environment with `events` pull events, through core's services over a real
 * store: the events go in through the deployments store's batch write (what the pull recorder calls), 50
 * repositories, each redeployed every 200 pulls, with releases naming every image plus ten newer ones.
 */
export async function measureEnvironmentQueries(databaseUrl: string, events: number): Promise<QueryFigures> {
  const { core, store, close } = await openInProcessCore(databaseUrl);
  try {
    const environment = { id: randomUUID(), name: 'production', description: null, color: null, createdBy: 'bench', createdAt: new Date(), updatedAt: new Date() };
    await store.environments.insert(environment);

    const start = Date.UTC(2025, 0, 1);
    const insertStarted = performance.now();
    for (let offset = 0; offset < events; offset += BATCH) {
      const batch: AttributedPull[] = [];
      for (let i = offset; i < Math.min(offset + BATCH, events); i++) {
        const repository = i % REPOSITORIES;
        const image = Math.floor(i / REPOSITORIES / PULLS_PER_DEPLOYMENT);
        const digest = digestOf(repository, image);
        batch.push({
          environmentId: environment.id,
          tokenId: 'bench-token',
          repository: repositoryName(repository),
          tag: `v${image}`,
          digest,
          imageDigest: digest,
          newPull: true,
          method: i % 2 === 0 ? 'HEAD' : 'GET',
          at: new Date(start + i * 2_500),
          ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
          client: 'containerd/1.7.24',
        });
      }
      await store.deployments.recordPulls(batch);
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;

    const images = Math.ceil(events / REPOSITORIES / PULLS_PER_DEPLOYMENT);
    for (let image = 0; image < images + RELEASES_AHEAD; image++) {
      await store.releases.insert({
        name: 'platform',
        version: `1.${image}.0`,
        artifacts: Array.from({ length: REPOSITORIES }, (_, r) => ({ type: 'oci' as const, repository: repositoryName(r), digest: digestOf(r, image) })),
        source: { commit: null, branch: null, pr: null, author: null, url: null },
        notes: null,
        createdAt: new Date(start + image * 60_000),
        createdBy: 'bench',
        createdByTokenId: null,
      });
    }

    const deployments = (await store.deployments.timeline(environment.id, { limit: 1_000_000, order: 'asc' })).length;
    const drift = await core.deployments.drift(ADMIN, 'production');
    const behind = drift.repositories.every((r) => r.status === 'behind' && r.behind === RELEASES_AHEAD);
    if (drift.repositories.length !== REPOSITORIES || !behind) throw new Error(`unexpected drift: ${JSON.stringify(drift.repositories[0])}`);

    return {
      pullEvents: events,
      deployments,
      insertSeconds,
      timeline: await timed(() => core.deployments.timeline(ADMIN, 'production', { order: 'desc' })),
      state: await timed(() => core.deployments.state(ADMIN, 'production')),
      drift: await timed(() => core.deployments.drift(ADMIN, 'production')),
    };
  } finally {
    await close();
  }
}

async function timed(query: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await query();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await query();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(RUNS / 2)] ?? NaN, p95: samples[Math.floor(RUNS * 0.95)] ?? NaN };
}
