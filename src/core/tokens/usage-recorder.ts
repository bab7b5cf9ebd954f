import type { TokenStore, TokenUsage } from '../ports.js';
import { SerialFlush } from '../serial-flush.js';
import type { SecretUsage, TokenSecretStore } from './token-secrets.js';

export interface UsageRecorderOptions {
  flushIntervalMs: number;
  onError(error: unknown): void;
}

/**
 * Collects "token was used" stamps in memory and writes them in one batch per interval, so a request
 * never waits for the write and a busy token costs one UPDATE per interval, not one per request. A stamp
 * is written at most `flushIntervalMs` after it was taken; with none waiting, no timer runs.
 */
export class UsageRecorder {
  private pending = new Map<string, TokenUsage>();
  /** The same, per secret (a rotated token has two for a while): by secret hash. */
  private pendingSecrets = new Map<string, SecretUsage>();
  private readonly writes: SerialFlush;

  constructor(
    private readonly tokens: TokenStore,
    private readonly options: UsageRecorderOptions,
    private readonly secrets?: TokenSecretStore,
  ) {
    this.writes = new SerialFlush(() => this.write(), {
      withinMs: options.flushIntervalMs,
      pending: () => this.pending.size > 0 || this.pendingSecrets.size > 0,
    });
  }

  /** `secretHash`: which of the token's secrets was used (absent for credentials derived from the token). */
  record(tokenId: string, at: Date, ip: string | null, client: string | null, secretHash?: string): void {
    if (secretHash !== undefined) {
      const stamp = this.pendingSecrets.get(secretHash);
      if (stamp) {
        stamp.at = at;
        stamp.count++;
      } else {
        this.pendingSecrets.set(secretHash, { secretHash, at, count: 1 });
      }
    }
    const existing = this.pending.get(tokenId);
    if (existing) {
      existing.at = at;
      existing.ip = ip;
      existing.client = client;
      existing.count++;
    } else {
      this.pending.set(tokenId, { tokenId, at, ip, client, count: 1 });
    }
    this.writes.due();
  }

  /** Writes what has accumulated; flushes never overlap. */
  flush(): Promise<void> {
    return this.writes.run();
  }

  /**
   * A batch whose write fails goes back into what waits, merged with what arrived meanwhile, and is written with
   * it next time: a database outage delays the stamps, it does not lose them. What waits stays one entry per
   * token and per secret, however long the outage.
   */
  private async write(): Promise<void> {
    const secrets = [...this.pendingSecrets.values()];
    this.pendingSecrets = new Map();
    if (secrets.length > 0 && this.secrets) {
      try {
        await this.secrets.recordUsage(secrets);
      } catch (error) {
        for (const stamp of secrets) requeue(this.pendingSecrets, stamp.secretHash, stamp);
        this.options.onError(error);
      }
    }
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.tokens.recordUsage(batch);
    } catch (error) {
      for (const stamp of batch) requeue(this.pending, stamp.tokenId, stamp);
      this.options.onError(error);
    }
  }

  async stop(): Promise<void> {
    this.writes.stop();
    await this.flush();
  }
}

/** Puts back a stamp that was not written: a newer one for the same key keeps its time (and place), adding the count. */
function requeue<T extends { at: Date; count: number }>(pending: Map<string, T>, key: string, stamp: T): void {
  const newer = pending.get(key);
  if (newer) newer.count += stamp.count;
  else pending.set(key, stamp);
}
