import { describe, expect, it, vi } from 'vitest';
import { tokenPrincipal, type Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { AttributedPull, ManifestPull } from './model.js';
import type { DeploymentStore } from './ports.js';
import { PullRecorder } from './pull-recorder.js';

const environmentToken: Principal = tokenPrincipal(
  { id: 'u1', username: 'ci', role: 'developer' },
  { id: 'tok', name: 'prod', username: 'flyt_prod', permission: 'read-only', environmentId: 'env' },
);

/** A store that keeps each written batch, to see what the recorder writes and how often. */
function capturingStore(): { store: DeploymentStore; batches: AttributedPull[][] } {
  const batches: AttributedPull[][] = [];
  const unused = () => Promise.reject(new Error('not used here'));
  return {
    batches,
    store: {
      recordPulls: async (batch) => {
        batches.push(batch);
        return [];
      },
      timeline: unused,
      current: unused,
      indexesListing: async () => new Map(),
    },
  };
}

describe('pull recorder', () => {
  it('writes one new pull and one continuation per batch while a client hammers one image, also across a closing window', async () => {
    let ms = Date.UTC(2026, 0, 1);
    const clock: Clock = { now: () => new Date(ms), nowMs: () => ms };
    const { store, batches } = capturingStore();
    const recorder = new PullRecorder(store, { clock, flushIntervalMs: 60_000, batchSize: 10_000, maxQueued: 100_000, onError: (e) => { throw e; } });
    const get: ManifestPull = { repository: 'team/app', tag: 'v1', digest: 'sha256:a', method: 'GET' };
    const ctx = { ip: '10.0.0.1', userAgent: 'kubelet' };
    const hammer = (requests: number) => {
      for (let i = 0; i < requests; i++) {
        recorder.record(environmentToken, get, ctx);
        ms += 1;
      }
    };

    hammer(5000); // the first request opens a pull; the rest wait for the flush folded into it
    await recorder.flush();
    ms += 61_000; // the pull's window closes: the next request starts a new pull
    hammer(5000);
    await recorder.flush();
    await recorder.stop();

    expect(batches.map((batch) => batch.map((p) => p.newPull))).toEqual([
      [true, false],
      [true, false],
    ]);
    const [first, second] = batches;
    expect(first?.[1]?.at.getTime()).toBe(Date.UTC(2026, 0, 1) + 4999);
    expect(second?.[0]?.at.getTime()).toBe(Date.UTC(2026, 0, 1) + 5000 + 61_000);
  });

  it('writes a repeat within the interval on its own, and sets no timer while nothing waits', async () => {
    vi.useFakeTimers();
    try {
      let ms = Date.UTC(2026, 0, 1);
      const clock: Clock = { now: () => new Date(ms), nowMs: () => ms };
      const { store, batches } = capturingStore();
      const recorder = new PullRecorder(store, { clock, flushIntervalMs: 250, batchSize: 10_000, maxQueued: 100_000, onError: (e) => { throw e; } });
      const ctx = { ip: '10.0.0.1', userAgent: 'kubelet' };
      expect(vi.getTimerCount()).toBe(0);
      recorder.record(environmentToken, { repository: 'team/app', tag: 'v1', digest: 'sha256:a', method: 'HEAD' }, ctx);
      await vi.advanceTimersByTimeAsync(250);
      expect(batches.map((batch) => batch.map((p) => [p.method, p.newPull]))).toEqual([[['HEAD', true]]]);
      expect(vi.getTimerCount()).toBe(0);
      // The GET that follows the HEAD continues its pull: only noted at request time, written by the next timer.
      ms += 5;
      recorder.record(environmentToken, { repository: 'team/app', tag: 'v1', digest: 'sha256:a', method: 'GET' }, ctx);
      await vi.advanceTimersByTimeAsync(250);
      expect(batches.map((batch) => batch.map((p) => [p.method, p.newPull]))).toEqual([[['HEAD', true]], [['GET', false]]]);
      expect(vi.getTimerCount()).toBe(0);
      await recorder.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
