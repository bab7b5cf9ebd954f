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

  it('notes requests repeating an open pull at request time and reports each pull once, with its latest request', () => {
    const a = new PullAttribution(60_000);
    const request = (over: Partial<PullEvent>) => {
      const e = pull(over);
      return a.repeats(e.tokenId, e, { ip: e.ip, userAgent: e.client }, e.at.getTime());
    };
    expect(request({})).toBe(false);
    a.attribute([pull({ tag: 'v1' })]);
    expect(request({ at: at(1) })).toBe(true);
    expect(request({ at: at(2), method: 'HEAD', client: 'crictl' })).toBe(true);
    expect(request({ digest: 'sha256:b', at: at(3) })).toBe(false);
    expect(request({ ip: '10.0.0.2', at: at(3) })).toBe(false);
    expect(request({ tokenId: 'other', at: at(3) })).toBe(false);
    expect(request({ repository: 'team/other', at: at(3) })).toBe(false);
    expect(request({ at: at(61) })).toBe(false);
    expect(a.drainContinuations()).toEqual([
      { ...pull({ at: at(2), method: 'HEAD', client: 'crictl' }), tag: null, imageDigest: 'sha256:a', newPull: false },
    ]);
    expect(a.drainContinuations()).toEqual([]);
    expect(request({ at: at(4) })).toBe(true);
    expect(a.drainContinuations().map((p) => p.at)).toEqual([at(4)]);
  });

  it('keeps a pull noted since the last drain through pruning, and drops empty clients', () => {
    const a = new PullAttribution(60_000);
    a.attribute([pull({}), pull({ tokenId: 'other', ip: null })]);
    expect(a.repeats('tok', pull({}), { ip: '10.0.0.1', userAgent: 'kubelet' }, at(59).getTime())).toBe(true);
    a.prune(at(120));
    expect(a.drainContinuations()).toHaveLength(1);
    expect(a.attribute([pull({ tokenId: 'other', ip: null, at: at(121) })])[0]?.newPull).toBe(true);
    a.prune(at(300));
    expect(a.repeats('tok', pull({}), { ip: '10.0.0.1', userAgent: 'kubelet' }, at(301).getTime())).toBe(false);
  });

  it('folds requests repeating a queued event into it, as one continuation of whatever pull it joins', () => {
    const a = new PullAttribution(60_000);
    const request = (over: Partial<PullEvent>) => {
      const e = pull(over);
      return a.repeats(e.tokenId, e, { ip: e.ip, userAgent: e.client }, e.at.getTime());
    };
    const first = pull({ method: 'HEAD', tag: 'v1' });
    expect(request(first)).toBe(false);
    a.queue(first);
    expect(request({ at: at(1) })).toBe(true);
    expect(request({ at: at(2), client: 'crictl' })).toBe(true);
    expect(request({ digest: 'sha256:b', at: at(3) })).toBe(false);
    expect(a.attribute([first]).map((p) => [p.imageDigest, p.newPull])).toEqual([['sha256:a', true]]);
    expect(a.drainContinuations()).toEqual([{ ...pull({ at: at(2), client: 'crictl' }), tag: null, imageDigest: 'sha256:a', newPull: false }]);
    // Once attributed, the event is an open pull: repeats continue it without queueing.
    expect(request({ at: at(4) })).toBe(true);
    expect(a.drainContinuations().map((p) => [p.at, p.newPull])).toEqual([[at(4), false]]);
  });

  it('continues an index pull when the platform manifest it listed is fetched again', () => {
    const a = new PullAttribution(60_000);
    const parents = new Map([['team/app@sha256:child', new Set(['sha256:index'])]]);
    a.attribute([pull({ digest: 'sha256:index', tag: 'v2' }), pull({ digest: 'sha256:child', at: at(1) })], parents);
    const child = pull({ digest: 'sha256:child', at: at(2) });
    expect(a.repeats(child.tokenId, child, { ip: child.ip, userAgent: child.client }, child.at.getTime())).toBe(true);
    expect(a.drainContinuations().map((p) => [p.digest, p.imageDigest, p.newPull])).toEqual([['sha256:child', 'sha256:index', false]]);
  });
});
