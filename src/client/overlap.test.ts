import { describe, expect, it } from 'vitest';
import { parseOverlap } from './overlap.js';

describe('parseOverlap', () => {
  it('reads 0, seconds and durations', () => {
    expect(parseOverlap('0')).toBe(0);
    expect(parseOverlap('90')).toBe(90);
    expect(parseOverlap('90s')).toBe(90);
    expect(parseOverlap('30m')).toBe(1800);
    expect(parseOverlap('24h')).toBe(86_400);
    expect(parseOverlap(' 7D ')).toBe(604_800);
  });

  it('refuses anything else with a hint (the server bounds the range)', () => {
    for (const bad of ['', 'soon', '-1', '1.5h', '2w', '24 h']) expect(() => parseOverlap(bad), bad).toThrow(/cannot read the overlap/);
  });
});
