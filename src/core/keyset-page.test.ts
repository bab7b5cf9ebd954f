import { describe, expect, it } from 'vitest';
import { keysetPage } from './keyset-page.js';

describe('keysetPage', () => {
  it('offers the next key only when a row beyond the page was read', () => {
    expect(keysetPage([5, 4, 3], 2, (n) => n)).toEqual({ items: [5, 4], next: 4 });
    expect(keysetPage([5, 4], 2, (n) => n)).toEqual({ items: [5, 4], next: null });
    expect(keysetPage([], 2, (n: number) => n)).toEqual({ items: [], next: null });
  });
});
