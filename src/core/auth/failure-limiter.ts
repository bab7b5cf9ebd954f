import { Errors } from '../errors.js';

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts failed authentications per client address in fixed windows. Once an address reaches the limit,
 * every attempt from it is refused with rate_limited until its window ends.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Throws rate_limited when the address is over its limit. */
  check(ip: string | null, now: number): void {
    if (!ip) return;
    const w = this.windows.get(ip);
    if (!w) return;
    if (now - w.startedAt >= this.windowMs) {
      this.windows.delete(ip);
      return;
    }
    if (w.failures >= this.maxFailures) {
      throw Errors.rateLimited(Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000)));
    }
  }

  recordFailure(ip: string | null, now: number): void {
    if (!ip) return;
    const w = this.windows.get(ip);
    if (!w || now - w.startedAt >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      this.windows.set(ip, { startedAt: now, failures: 1 });
      return;
    }
    w.failures++;
  }

  private sweep(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.startedAt >= this.windowMs) this.windows.delete(ip);
  }
}
