import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SerialFlush } from './serial-flush.js';

/** For the tests of run() alone: a schedule that never finds anything waiting. */
const NOTHING_WAITS = { withinMs: 60_000, pending: () => false };

describe('SerialFlush', () => {
  it('holds one waiting write behind a stalled one, however often it is called', async () => {
    let writes = 0;
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const flush = new SerialFlush(async () => {
      writes++;
      if (writes === 1) await stalled;
    }, NOTHING_WAITS);
    const first = flush.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toBe(1); // started, and stalled
    const later = Array.from({ length: 1000 }, () => flush.run());
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toBe(1);
    release();
    await Promise.all([first, ...later]);
    expect(writes).toBe(2);
    // Once idle, a call writes again.
    await flush.run();
    expect(writes).toBe(3);
  });

  it('never runs two writes at once, and a failed write does not stop the next', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const flush = new SerialFlush(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      if (++calls === 1) throw new Error('the database is away');
    }, NOTHING_WAITS);
    await expect(flush.run()).rejects.toThrow('the database is away');
    await Promise.all([flush.run(), flush.run()]);
    expect(calls).toBe(2);
    expect(most).toBe(1);
  });
});

describe("SerialFlush's schedule", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sets a timer only while something waits, writes within the schedule, and retries what a failed write put back', async () => {
    const waiting: string[] = [];
    const written: string[][] = [];
    let down = false;
    const flush = new SerialFlush(
      async () => {
        const batch = waiting.splice(0);
        if (down) {
          waiting.unshift(...batch);
          throw new Error('the database is away');
        }
        written.push(batch);
      },
      { withinMs: 250, pending: () => waiting.length > 0 },
    );
    expect(vi.getTimerCount()).toBe(0); // idle: nothing to wake up for

    waiting.push('a');
    flush.due();
    waiting.push('b');
    flush.due(); // the timer already armed covers it
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(249);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([['a', 'b']]);
    expect(vi.getTimerCount()).toBe(0);

    down = true;
    waiting.push('c');
    flush.due();
    await vi.advanceTimersByTimeAsync(250);
    expect(waiting).toEqual(['c']);
    expect(vi.getTimerCount()).toBe(1); // put back, so armed again
    down = false;
    await vi.advanceTimersByTimeAsync(250);
    expect(written).toEqual([['a', 'b'], ['c']]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms nothing once stopped; the last flush is the owner’s', async () => {
    let writes = 0;
    const flush = new SerialFlush(
      async () => {
        writes++;
      },
      { withinMs: 250, pending: () => true },
    );
    flush.due();
    flush.stop();
    expect(vi.getTimerCount()).toBe(0);
    flush.due();
    await flush.run();
    expect(writes).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
