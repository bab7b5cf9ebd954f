import { describe, expect, it, vi } from 'vitest';
import type { TokenStore, TokenUsage } from '../ports.js';
import type { SecretUsage, TokenSecretStore } from './token-secrets.js';
import { UsageRecorder } from './usage-recorder.js';

/** Stores whose writes fail while `down`, and keep every batch they took. */
function stores() {
  const state = { down: false, tokens: [] as TokenUsage[][], secrets: [] as SecretUsage[][], errors: 0 };
  const write =
    <T>(into: T[][]) =>
    async (batch: readonly T[]): Promise<void> => {
      if (state.down) throw new Error('the database is not answering');
      into.push(batch.map((stamp) => ({ ...stamp })));
    };
  const tokens = { recordUsage: write(state.tokens) } as unknown as TokenStore;
  const secrets = { recordUsage: write(state.secrets) } as unknown as TokenSecretStore;
  const recorder = new UsageRecorder(tokens, { flushIntervalMs: 60_000, onError: () => state.errors++ }, secrets);
  return { state, recorder };
}

describe('UsageRecorder', () => {
  it('keeps the stamps of a write that failed and writes them, merged with newer ones, once the database answers', async () => {
    const { state, recorder } = stores();
    state.down = true;
    recorder.record('t1', new Date(1000), '10.0.0.1', 'npm/10', 'h1');
    recorder.record('t1', new Date(2000), '10.0.0.1', 'npm/10', 'h1');
    recorder.record('t2', new Date(2500), '10.0.0.2', 'pip/24', 'h2');
    await recorder.flush();
    expect(state.errors).toBe(2);
    // Used again during the outage, from elsewhere: the newest stamp's time, address and client win.
    recorder.record('t1', new Date(3000), '10.0.0.9', 'docker/27', 'h1');
    await recorder.flush();
    state.down = false;
    await recorder.flush();
    expect(state.tokens).toEqual([
      [
        { tokenId: 't1', at: new Date(3000), ip: '10.0.0.9', client: 'docker/27', count: 3 },
        { tokenId: 't2', at: new Date(2500), ip: '10.0.0.2', client: 'pip/24', count: 1 },
      ],
    ]);
    expect(state.secrets).toEqual([
      [
        { secretHash: 'h1', at: new Date(3000), count: 3 },
        { secretHash: 'h2', at: new Date(2500), count: 1 },
      ],
    ]);
    // Written once: nothing is left to write again.
    await recorder.flush();
    expect(state.tokens).toHaveLength(1);
    await recorder.stop();
  });

  it('writes a stamp within its interval, and sets no timer while nothing waits', async () => {
    vi.useFakeTimers();
    try {
      const { state, recorder } = stores();
      expect(vi.getTimerCount()).toBe(0);
      recorder.record('t1', new Date(1000), '10.0.0.1', 'npm/10', 'h1');
      recorder.record('t1', new Date(2000), '10.0.0.1', 'npm/10', 'h1');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(state.tokens).toEqual([[{ tokenId: 't1', at: new Date(2000), ip: '10.0.0.1', client: 'npm/10', count: 2 }]]);
      expect(vi.getTimerCount()).toBe(0);
      await recorder.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
