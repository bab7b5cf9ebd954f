import { describe, expect, it } from 'vitest';
import { deploymentKey, foldPulls } from './deployment-fold.js';
import type { AttributedPull, Deployment } from './model.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const pull = (digest: string, s: number, over: Partial<AttributedPull> = {}): AttributedPull => ({
  environmentId: 'env',
  tokenId: 'tok',
  repository: 'team/app',
  tag: null,
  digest,
  imageDigest: digest,
  newPull: true,
  method: 'GET',
  at: at(s),
  ip: null,
  client: null,
  ...over,
});

const ids = () => {
  let n = 0;
  return () => `d${++n}`;
};

describe('folding pulls into deployments', () => {
  it('starts a run per change of image and extends the running one', () => {
    const { inserted, updated } = foldPulls(
      new Map(),
      [pull('sha256:a', 1, { tag: 'v1' }), pull('sha256:a', 2), pull('sha256:b', 3, { tag: 'v2' }), pull('sha256:a', 4, { tag: 'v1' })],
      ids(),
    );
    expect(updated).toEqual([]);
    expect(inserted.map((d) => [d.run, d.digest, d.tag, d.pullCount, d.firstSeen.getTime(), d.lastSeen.getTime()])).toEqual([
      [1, 'sha256:a', 'v1', 2, at(1).getTime(), at(2).getTime()],
      [2, 'sha256:b', 'v2', 1, at(3).getTime(), at(3).getTime()],
      [3, 'sha256:a', 'v1', 1, at(4).getTime(), at(4).getTime()],
    ]);
  });

  it('updates the current run it was given, counts continuations as no new pull, and never starts a run with one', () => {
    const current: Deployment = {
      id: 'old',
      environmentId: 'env',
      repository: 'team/app',
      run: 7,
      digest: 'sha256:a',
      tag: 'v1',
      firstSeen: at(0),
      lastSeen: at(0),
      pullCount: 3,
    };
    const { inserted, updated } = foldPulls(
      new Map([[deploymentKey('env', 'team/app'), current]]),
      [pull('sha256:a', 5, { newPull: false }), pull('sha256:b', 6, { newPull: false }), pull('sha256:a', 7)],
      ids(),
    );
    expect(inserted).toEqual([]);
    expect(updated).toEqual([{ ...current, lastSeen: at(7), pullCount: 4 }]);
    expect(current.pullCount).toBe(3);
  });
});
