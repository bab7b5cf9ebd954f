/**
 * `npm run bench` runs every registered section (bench/sections.ts) and prints one table of what
 * each measured beside the target. A section starts whatever it needs (usually a real server
 * process) and stops it before returning.
 */
export interface BenchResult {
  /** What was measured, e.g. "authenticated GET /api/v1/tokens/:id". */
  metric: string;
  value: number;
  unit: string;
  /** The target from the issue, as text, e.g. ">= 10,000 req/s" or "< 50 µs". */
  target?: string;
  /** Whether the value meets the target (omit when there is no target). */
  ok?: boolean;
}

export interface BenchSection {
  name: string;
  run(): Promise<BenchResult[]>;
}
