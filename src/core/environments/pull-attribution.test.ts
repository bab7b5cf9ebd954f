import { describe, expect, it } from 'vitest';
import type { PullEvent } from './model.js';
import { PullAttribution } from './pull-attribution.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const pull = (over: Partial<PullEvent>): PullEvent => ({
  environmentId: 'env',
  tokenId: 'tok',
  repository: 'team/app',
  tag: null,
  digest: 'sha256:a',
  method: 'GET',
  at: at(0),
  ip: '10.0.0.1',
  client: 'kubelet',
  ...over,
});

describe('pull attribution', () => {
  it('counts a HEAD then a GET of the same image by one client as one pull', () => {
    const a = new PullAttribution();
    const out = a.attribute([pull({ method: 'HEAD', tag: 'v1' }), pull({ method: 'GET', at: at(1) })]);
    expect(out.map((p) => [p.imageDigest, p.newPull])).toEqual([
      ['sha256:a', true],
      ['sha256:a', false],
    ]);
  });

  it('attributes a platform manifest fetched after its index to the index', () => {
    const a = new PullAttribution();
    const parents = new Map([['team/app@sha256:child', new Set(['sha256:index'])]]);
    const out = a.attribute([pull({ digest: 'sha256:index', tag: 'v2' }), pull({ digest: 'sha256:child', at: at(1) })], parents);
    expect(out.map((p) => [p.digest, p.imageDigest, p.newPull])).toEqual([
      ['sha256:index', 'sha256:index', true],
      ['sha256:child', 'sha256:index', false],
    ]);
  });

  it('counts separate pulls for other clients, other images, and after the window closes', () => {
    const a = new PullAttribution(60_000);
    const out = a.attribute([
      pull({}),
      pull({ ip: '10.0.0.2', at: at(1) }),
      pull({ tokenId: 'other', at: at(2) }),
      pull({ digest: 'sha256:b', at: at(3) }),
      pull({ digest: 'sha256:b', at: at(70) }),
    ]);
    expect(out.map((p) => p.newPull)).toEqual([true, true, true, true, true]);
  });

  it('remembers open pulls across batches and forgets them once pruned', () => {
    const a = new PullAttribution(60_000);
    a.attribute([pull({ method: 'HEAD' })]);
    expect(a.attribute([pull({ at: at(5) })])[0]?.newPull).toBe(false);
    a.prune(at(120));
    expect(a.attribute([pull({ at: at(121) })])[0]?.newPull).toBe(true);
  });
});
