import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used, in µs, from /proc (Linux; undefined elsewhere). Requests/s
 * depend on what else the machine runs; CPU per request does much less, so benchmarks report both.
 */
export function processCpuMicros(pid: number): number | undefined {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // Kernel clock ticks are 100 per second on Linux.
    return Number.isFinite(ticks) ? ticks * 10_000 : undefined;
  } catch {
    return undefined;
  }
}
