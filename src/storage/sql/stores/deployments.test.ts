import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, TEST_ENGINE } from '../../../../test/helpers/database.js';
import { tokenPrincipal as tokenIdentityPrincipal, type Principal } from '../../../core/auth/principal.js';
import type { Clock } from '../../../core/clock.js';
import type { DeploymentStore } from '../../../core/environments/ports.js';
import type { ManifestPull } from '../../../core/environments/model.js';
import { PullRecorder } from '../../../core/environments/pull-recorder.js';
import type { SqlMetadataStore } from '../metadata-store.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

const tokenPrincipal = (environmentId: string | null): Principal =>
  tokenIdentityPrincipal({ id: 'u', username: 'admin', role: 'admin' }, { id: 'tok-1', name: 't', username: 't-1', permission: 'read-only', environmentId });

class SteppingClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  nowMs(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

describe(`pull recorder over the deployments store on ${TEST_ENGINE}`, () => {
  let store: SqlMetadataStore;
  let close: () => Promise<void>;
  const clock = new SteppingClock(Date.UTC(2026, 0, 1));
  const errors: unknown[] = [];

  const environment = async (name: string) => {
    const env = { id: randomUUID(), name, description: null, color: null, createdBy: 'admin', createdAt: clock.now(), updatedAt: clock.now() };
    await store.environments.insert(env);
    return env;
  };
  const recorder = (deployments: DeploymentStore = store.deployments) =>
    new PullRecorder(deployments, { clock, flushIntervalMs: 60_000, batchSize: 10_000, maxQueued: 1000, onError: (e) => errors.push(e) });
  const ctx = { ip: '10.1.1.1', userAgent: 'containerd/1.7' };
  const get = (repository: string, d: string, tag: string | null = null): ManifestPull => ({ repository, digest: d, tag, method: 'GET' });

  beforeAll(async () => {
    ({ store, close } = await openTestStore());
  });
  afterAll(() => close?.());

  it('turns pulls into a timeline and a current state, one deployment per HEAD + GET', async () => {
    const env = await environment('staging');
    const r = recorder();
    r.record(tokenPrincipal(env.id), { repository: 'team/app', digest: digest('a'), tag: 'v1', method: 'HEAD' }, ctx);
    clock.advance(1);
    r.record(tokenPrincipal(env.id), get('team/app', digest('a')), ctx);
    clock.advance(120);
    r.record(tokenPrincipal(env.id), get('team/app', digest('b'), 'v2'), ctx);
    clock.advance(1);
    r.record(tokenPrincipal(env.id), get('team/db', digest('c'), '16'), ctx);
    r.record(tokenPrincipal(null), get('team/app', digest('d'), 'v9'), ctx);
    await r.stop();
    expect(errors).toEqual([]);

    const timeline = await store.deployments.timeline(env.id, { limit: 10, order: 'asc' });
    expect(timeline.map((d) => [d.repository, d.digest, d.tag, d.run, d.pullCount])).toEqual([
      ['team/app', digest('a'), 'v1', 1, 1],
      ['team/app', digest('b'), 'v2', 2, 1],
      ['team/db', digest('c'), '16', 1, 1],
    ]);
    const current = await store.deployments.current(env.id);
    expect(current.map((d) => [d.repository, d.digest])).toEqual([
      ['team/app', digest('b')],
      ['team/db', digest('c')],
    ]);
    const first = timeline[0];
    if (!first) throw new Error('no timeline');
    const page = await store.deployments.timeline(env.id, { limit: 10, order: 'asc', after: { firstSeen: first.firstSeen, id: first.id } });
    expect(page.map((d) => d.digest)).toEqual([digest('b'), digest('c')]);
    expect((await store.deployments.timeline(env.id, { limit: 1, order: 'desc', repository: 'team/app' })).map((d) => d.digest)).toEqual([
      digest('b'),
    ]);
  });

  it('keeps extending the running deployment across flushes and counts each new pull', async () => {
    const env = await environment('production');
    const r = recorder();
    r.record(tokenPrincipal(env.id), get('team/app', digest('a'), 'v1'), ctx);
    await r.flush();
    clock.advance(300);
    r.record(tokenPrincipal(env.id), get('team/app', digest('a'), 'v1'), ctx);
    await r.stop();
    const [only, ...rest] = await store.deployments.timeline(env.id, { limit: 10, order: 'asc' });
    expect(rest).toEqual([]);
    expect(only?.pullCount).toBe(2);
    expect(only && only.lastSeen.getTime() - only.firstSeen.getTime()).toBe(300_000);
  });

  it('retries a batch whose write failed instead of losing it, and drops pulls of deleted environments', async () => {
    const env = await environment('flaky');
    let failures = 1;
    const flaky: DeploymentStore = {
      timeline: (id, q) => store.deployments.timeline(id, q),
      current: (id) => store.deployments.current(id),
      recordPulls: (batch) => (failures-- > 0 ? Promise.reject(new Error('database down')) : store.deployments.recordPulls(batch)),
      indexesListing: (images) => store.deployments.indexesListing(images),
    };
    const r = recorder(flaky);
    r.record(tokenPrincipal(env.id), get('team/app', digest('e')), ctx);
    await r.flush();
    expect(errors.splice(0)).toHaveLength(1);
    expect(await store.deployments.current(env.id)).toEqual([]);
    await r.flush();
    expect((await store.deployments.current(env.id)).map((d) => d.digest)).toEqual([digest('e')]);

    const gone = await environment('gone');
    await store.environments.delete(gone.id);
    r.record(tokenPrincipal(gone.id), get('team/app', digest('f')), ctx);
    await r.stop();
    expect(errors).toEqual([]);
    expect(await store.deployments.current(gone.id)).toEqual([]);
  });

  it('answers the release questions drift asks: newest per repository, newest containing an image, how many newer', async () => {
    const release = (version: string, artifacts: { repository: string; digest: string }[]) =>
      store.releases.insert({
        name: 'shop',
        version,
        artifacts: artifacts.map((a) => ({ type: 'oci' as const, ...a })),
        source: { commit: null, branch: null, pr: null, author: null, url: null },
        notes: null,
        createdAt: clock.now(),
        createdBy: 'ci',
        createdByTokenId: null,
      });
    const v1 = await release('1', [{ repository: 'shop/api', digest: digest('1') }, { repository: 'shop/web', digest: digest('7') }]);
    const v2 = await release('2', [{ repository: 'shop/api', digest: digest('2') }, { repository: 'shop/web', digest: digest('7') }]);
    const v3 = await release('3', [{ repository: 'shop/api', digest: digest('3') }]);
    await expect(release('3', [{ repository: 'shop/api', digest: digest('3') }])).rejects.toMatchObject({ code: 'conflict' });

    const latest = await store.releases.latestForRepositories(['shop/api', 'shop/web', 'nothing']);
    expect([...latest].map(([repo, l]) => [repo, l.release.id, l.digest]).sort()).toEqual([
      ['shop/api', v3, digest('3')],
      ['shop/web', v2, digest('7')],
    ]);
    const containing = await store.releases.newestContaining([
      { repository: 'shop/api', digest: digest('1') },
      { repository: 'shop/web', digest: digest('7') },
      { repository: 'shop/other', digest: digest('7') },
    ]);
    expect([...containing].map(([key, r]) => [key, r.id]).sort()).toEqual([
      [`shop/api@${digest('1')}`, v1],
      [`shop/web@${digest('7')}`, v2],
    ]);
    const newer = await store.releases.countNewer([{ repository: 'shop/api', releaseId: v1 }]);
    expect(newer.get('shop/api')).toBe(2);
    expect((await store.releases.search({ digest: digest('7'), limit: 10 })).map((r) => r.version)).toEqual(['2', '1']);
    expect((await store.releases.byId(v3))?.artifacts).toEqual([{ type: 'oci', repository: 'shop/api', digest: digest('3') }]);
  });
});
