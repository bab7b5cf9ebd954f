import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repeatLimited, type RepeatLimitedLine } from './repeat-limited.js';

describe('repeatLimited', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the first failure of a kind at once and how many followed it when its window ends', () => {
    const lines: RepeatLimitedLine[] = [];
    const log = repeatLimited((line) => lines.push(line), 30_000);
    const down = () => Object.assign(new Error('the database is not answering'), { code: 'FLY_DATABASE_UNAVAILABLE' });
    // Every 250 ms for a minute, as the pull recorder's retries during an outage.
    for (let t = 0; t < 60_000; t += 250) {
      log(down());
      vi.advanceTimersByTime(250);
    }
    expect(lines.map((line) => (line.kind === 'first' ? 'first' : line.count))).toEqual(['first', 119, 'first', 119]);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(4);
  });

  it('never lets one cause hide another', () => {
    const lines: RepeatLimitedLine[] = [];
    const log = repeatLimited((line) => lines.push(line), 30_000);
    log(Object.assign(new Error('timeout'), { code: 'FLY_DATABASE_UNAVAILABLE' }));
    log(new Error('pull recording dropped 3 events: the queue was full (is the database reachable?)'));
    log(Object.assign(new Error('timeout'), { code: 'FLY_DATABASE_UNAVAILABLE' }));
    // The same cause with another count is the same kind.
    log(new Error('pull recording dropped 250 events: the queue was full (is the database reachable?)'));
    expect(lines.map((line) => line.kind)).toEqual(['first', 'first']);
    vi.advanceTimersByTime(30_000);
    expect(lines.slice(2)).toEqual([
      expect.objectContaining({ kind: 'repeats', count: 1, error: expect.objectContaining({ code: 'FLY_DATABASE_UNAVAILABLE' }) }),
      expect.objectContaining({ kind: 'repeats', count: 1, error: expect.objectContaining({ message: expect.stringContaining('250 events') }) }),
    ]);
  });
});
