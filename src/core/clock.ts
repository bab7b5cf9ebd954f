/** Time as core sees it; tests and benchmarks may pass their own. */
export interface Clock {
  now(): Date;
  /** The same instant as now(), in ms since the epoch, without allocating a Date: for per-request hot paths. */
  nowMs(): number;
}

export const systemClock: Clock = { now: () => new Date(), nowMs: () => Date.now() };
