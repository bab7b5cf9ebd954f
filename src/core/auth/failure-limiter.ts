import { Errors } from '../errors.js';
import { InProcessFailureCounts, type FailureCounts } from './failure-counts.js';

/** An attempt counted before it is checked: a success gives its place back, a failure keeps it. */
export interface ReservedAttempt {
  succeeded(): Promise<void>;
  failed(): void;
}

/**
 * Counts failed authentications per key (a client address, or an account for password checks) in fixed
 * windows. Once a key reaches the limit, every attempt under it is refused with rate_limited until its
 * window ends. The counts live in `counts`: this process's memory by default, shared between the workers of
 * a multi-process server otherwise.
 *
 * Cheap checks (a token's hash lookup) check, then record their failures. Expensive ones (scrypt) reserve
 * their attempt first, as if it had failed: concurrent guesses then count against the limit before any of
 * them is verified, so 100 parallel logins with a limit of 20 verify at most 20 passwords.
 */
export class FailureLimiter {
  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly counts: FailureCounts = new InProcessFailureCounts(windowMs),
  ) {}

  /** Throws rate_limited when the key is over its limit. */
  check(key: string | null, now: number): void {
    if (!key) return;
    const w = this.counts.current(key, now);
    if (w && w.failures >= this.maxFailures) {
      throw Errors.rateLimited(Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000)));
    }
  }

  /** Resolves once the failure counts everywhere the limit is checked. */
  recordFailure(key: string | null, now: number): Promise<void> {
    if (!key) return Promise.resolve();
    return this.counts.add(key, now, 1);
  }

  /**
   * Counts one attempt under every key at once, refusing (and counting nothing) when any key is at its
   * limit. The checks and the counting happen before the first await, so no concurrent attempt in this
   * process slips between them. The caller reports the outcome: succeeded() uncounts it, failed() keeps it.
   */
  async reserve(keys: readonly (string | null)[], now: number): Promise<ReservedAttempt> {
    const present = keys.filter((k): k is string => Boolean(k));
    for (const key of present) this.check(key, now);
    await Promise.all(present.map((key) => this.counts.add(key, now, 1)));
    let settled = false;
    return {
      succeeded: async () => {
        if (settled) return;
        settled = true;
        await Promise.all(present.map((key) => this.counts.add(key, now, -1)));
      },
      failed: () => {
        settled = true;
      },
    };
  }
}

/** The limiter key of an account, distinct from any address. */
export function accountKey(username: string): string {
  return `account:${username.toLowerCase()}`;
}
