import { describe, expect, it } from 'vitest';
import { DigestBytesCache } from '../../src/core/digest-bytes-cache.js';

const digest = (i: number) => `sha256:${String(i).padStart(64, '0')}` as const;
const kib = (fill: number) => Buffer.alloc(1024, fill);

describe('DigestBytesCache (small blobs served from memory)', () => {
  it('stays within its bytes, dropping first the oldest entry nobody read since eviction last passed it over', () => {
    const cache = new DigestBytesCache(3 * 1024, 1024);
    for (let i = 0; i < 3; i++) cache.set(digest(i), kib(i));
    cache.set(digest(3), kib(3)); // the first sweep passes over every new entry once, then drops the oldest
    expect(cache.get(digest(0))).toBeUndefined();
    expect(cache.get(digest(1))?.[0]).toBe(1); // read: 1 gets a second chance
    cache.set(digest(4), kib(4));
    expect(cache.get(digest(2))).toBeUndefined(); // the oldest unread entry went
    expect([1, 3, 4].map((i) => cache.get(digest(i))?.[0])).toEqual([1, 3, 4]);
  });

  it('evicts even when every entry was read (each is passed over once), and never keeps more than its bytes', () => {
    const cache = new DigestBytesCache(3 * 1024, 1024);
    for (let i = 0; i < 3; i++) cache.set(digest(i), kib(i));
    for (let i = 0; i < 3; i++) cache.get(digest(i));
    cache.set(digest(3), kib(3));
    const kept = [0, 1, 2, 3].filter((i) => cache.get(digest(i)) !== undefined);
    expect(kept).toEqual([1, 2, 3]);
    for (let i = 4; i < 100; i++) {
      cache.set(digest(i), kib(i));
      cache.get(digest(i - 1));
    }
    expect([...Array(100).keys()].filter((i) => cache.get(digest(i)) !== undefined)).toHaveLength(3);
  });

  it('keeps no entry larger than its per-entry limit', () => {
    const cache = new DigestBytesCache(4096, 1024);
    cache.set(digest(1), Buffer.alloc(1025));
    expect(cache.get(digest(1))).toBeUndefined();
  });
});
