import { describe, expect, it } from 'vitest';
import type { TokenWithCreator } from '../model.js';
import { TokenCache } from './token-cache.js';

const record = (id: string, secretHash: string) => ({ id, secretHash }) as TokenWithCreator;

describe('TokenCache with rotated secrets', () => {
  it('holds a token under its current and its replaced secret; invalidating the token drops both', () => {
    const cache = new TokenCache(60_000);
    cache.set('new', record('t', 'new'), 0);
    cache.set('old', record('t', 'new'), 0, 10_000);
    expect(cache.entry('new', 1)?.token.id).toBe('t');
    expect(cache.entry('old', 1)).toMatchObject({ retiresAt: 10_000 });
    // By id, only the current secret's entry counts (credentials derived from the token).
    expect(cache.getById('t', 1)?.secretHash).toBe('new');
    cache.invalidate('t');
    expect(cache.entry('new', 2)).toBeUndefined();
    expect(cache.entry('old', 2)).toBeUndefined();
  });

  it('a replaced secret stops being served from the cache at its retirement, whatever the TTL', () => {
    const cache = new TokenCache(60_000);
    cache.set('old', record('t', 'new'), 0, 10_000);
    cache.set('new', record('t', 'new'), 0);
    expect(cache.entry('old', 9_999)).toBeDefined();
    expect(cache.entry('old', 10_000)).toBeUndefined();
    expect(cache.entry('new', 10_000)).toBeDefined();
    expect(cache.getById('t', 10_001)?.secretHash).toBe('new');
  });
});
