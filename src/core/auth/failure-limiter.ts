import { Errors } from '../errors.js';

interface Window {
  startedAt: number;
  failures: number;
}

/** An attempt counted before it is checked: a success gives its place back, a failure keeps it. */
export interface ReservedAttempt {
  succeeded(): void;
  failed(): void;
}

/**
 * Counts failed authentications per key (a client address, or an account for password checks) in fixed
 * windows. Once a key reaches the limit, every attempt under it is refused with rate_limited until its
 * window ends.
 *
 * Cheap checks (a token's hash lookup) check, then record their failures. Expensive ones (scrypt) reserve
 * their attempt first, as if it had failed: concurrent guesses then count against the limit before any of
 * them is verified, so 100 parallel logins with a limit of 20 verify at most 20 passwords.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Throws rate_limited when the key is over its limit. */
  check(key: string | null, now: number): void {
    if (!key) return;
    const w = this.current(key, now);
    if (w && w.failures >= this.maxFailures) throw this.refusal(w, now);
  }

  recordFailure(key: string | null, now: number): void {
    if (!key) return;
    const w = this.current(key, now);
    if (w) w.failures++;
    else this.open(key, now);
  }

  /**
   * Counts one attempt under every key at once, refusing (and counting nothing) when any key is at its
   * limit. The caller reports the outcome: succeeded() uncounts it, failed() leaves it counted.
   */
  reserve(keys: readonly (string | null)[], now: number): ReservedAttempt {
    const present = keys.filter((k): k is string => Boolean(k));
    for (const key of present) this.check(key, now);
    const reserved = present.map((key) => {
      this.recordFailure(key, now);
      return { key, window: this.windows.get(key) };
    });
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        // Only from the window it was counted in: a window that has since restarted owes it nothing.
        for (const { key, window } of reserved) if (window && this.windows.get(key) === window) window.failures = Math.max(0, window.failures - 1);
      },
      failed: () => {
        settled = true;
      },
    };
  }

  /** The key's window if it is still running (an ended one is dropped). */
  private current(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && now - w.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private open(key: string, now: number): void {
    if (this.windows.size > 50_000) this.sweep(now);
    this.windows.set(key, { startedAt: now, failures: 1 });
  }

  private refusal(w: Window, now: number) {
    return Errors.rateLimited(Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000)));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.startedAt >= this.windowMs) this.windows.delete(key);
  }
}

/** The limiter key of an account, distinct from any address. */
export function accountKey(username: string): string {
  return `account:${username.toLowerCase()}`;
}
