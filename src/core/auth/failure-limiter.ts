import { Errors } from '../errors.js';
import { InProcessFailureCounts, type FailureCounts } from './failure-counts.js';

/**
 * Counts failed authentications per client address in fixed windows. Once an address reaches the limit,
 * every attempt from it is refused with rate_limited until its window ends. The counts live in `counts`:
 * this process's memory by default, shared between the workers of a multi-process server otherwise.
 */
export class FailureLimiter {
  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly counts: FailureCounts = new InProcessFailureCounts(windowMs),
  ) {}

  /** Throws rate_limited when the address is over its limit. */
  check(ip: string | null, now: number): void {
    if (!ip) return;
    const w = this.counts.current(ip, now);
    if (w && w.failures >= this.maxFailures) {
      throw Errors.rateLimited(Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000)));
    }
  }

  /** Resolves once the failure counts everywhere the limit is checked. */
  recordFailure(ip: string | null, now: number): Promise<void> {
    if (!ip) return Promise.resolve();
    return this.counts.add(ip, now);
  }
}
