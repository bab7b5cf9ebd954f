import type { TokenStore, TokenUsage } from '../ports.js';

export interface UsageRecorderOptions {
  flushIntervalMs: number;
  onError(error: unknown): void;
}

/**
 * Collects "token was used" stamps in memory and writes them in one batch per interval, so a request
 * never waits for the write and a busy token costs one UPDATE per interval, not one per request.
 */
export class UsageRecorder {
  private pending = new Map<string, TokenUsage>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly tokens: TokenStore,
    private readonly options: UsageRecorderOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  record(tokenId: string, at: Date, ip: string | null, client: string | null): void {
    const existing = this.pending.get(tokenId);
    if (existing) {
      existing.at = at;
      existing.ip = ip;
      existing.client = client;
      existing.count++;
    } else {
      this.pending.set(tokenId, { tokenId, at, ip, client, count: 1 });
    }
  }

  /** Writes what has accumulated; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.tokens.recordUsage(batch);
      } catch (error) {
        this.options.onError(error);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
