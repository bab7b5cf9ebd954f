/** Failed authentications of one client address within one fixed window. */
export interface FailureWindow {
  startedAt: number;
  failures: number;
}

/**
 * Where the failure limiter's counts live. One process keeps them in memory (InProcessFailureCounts); the
 * workers of one server share them through their primary process (server/worker-failure-counts.ts), so the
 * limit holds for an address whichever worker its attempts reach.
 */
export interface FailureCounts {
  /** The open window of `ip` at `now`, or undefined when it has none (or it has ended). */
  current(ip: string, now: number): FailureWindow | undefined;
  /**
   * Counts `delta` failures of `ip` (1, or -1 to give back a reserved attempt that succeeded): in its open
   * window, or in a new one starting at `now`. Resolves once every process that checks this limit sees it.
   */
  add(ip: string, now: number, delta: number): Promise<void>;
}

/** Below this many windows, ended ones are left to `current()` and the next sweep. */
const SWEEP_FROM = 50_000;

/**
 * Counts in this process's memory, in fixed windows of `windowMs`, bounded by sweeping ended windows. A sweep
 * runs once the table has doubled since the last one: failures from many addresses at once (a spoofed
 * X-Forwarded-For, an IPv6 range) keep every open window, and each insertion still costs O(1) amortized,
 * where a sweep per insertion past a fixed size cost a walk of the whole table for every new address.
 */
export class InProcessFailureCounts implements FailureCounts {
  private readonly windows = new Map<string, FailureWindow>();
  private sweepAt = SWEEP_FROM;

  constructor(private readonly windowMs: number) {}

  current(ip: string, now: number): FailureWindow | undefined {
    const w = this.windows.get(ip);
    if (!w) return undefined;
    if (now - w.startedAt >= this.windowMs) {
      this.windows.delete(ip);
      return undefined;
    }
    return w;
  }

  add(ip: string, now: number, delta: number): Promise<void> {
    this.increment(ip, now, delta);
    return Promise.resolve();
  }

  /** Counts `delta` failures now, synchronously (never below zero), and returns the window it landed in. */
  increment(ip: string, now: number, delta: number): FailureWindow {
    const w = this.current(ip, now);
    if (w) {
      w.failures = Math.max(0, w.failures + delta);
      return w;
    }
    this.makeRoom(now);
    const fresh = { startedAt: now, failures: Math.max(0, delta) };
    this.windows.set(ip, fresh);
    return fresh;
  }

  /** Replaces the window of `ip` with one counted elsewhere (a mirror of the shared counts). */
  set(ip: string, window: FailureWindow): void {
    // A mirror may only ever be set (its own worker sees no failures): it sweeps as often as one that counts.
    this.makeRoom(window.startedAt);
    this.windows.set(ip, { ...window });
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.sweepAt) return;
    for (const [ip, w] of this.windows) if (now - w.startedAt >= this.windowMs) this.windows.delete(ip);
    this.sweepAt = Math.max(SWEEP_FROM, 2 * this.windows.size);
  }
}
