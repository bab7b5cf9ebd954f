import { describe, expect, it } from 'vitest';
import { SerialFlush } from './serial-flush.js';

describe('SerialFlush', () => {
  it('holds one waiting write behind a stalled one, however often it is called', async () => {
    let writes = 0;
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const flush = new SerialFlush(async () => {
      writes++;
      if (writes === 1) await stalled;
    });
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
    });
    await expect(flush.run()).rejects.toThrow('the database is away');
    await Promise.all([flush.run(), flush.run()]);
    expect(calls).toBe(2);
    expect(most).toBe(1);
  });
});
