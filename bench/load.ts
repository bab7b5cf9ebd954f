import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processCpuMicros } from './process-cpu.js';

/** One load run's outcome: the best round's rate and the CPU the server and the load generator used. */
export interface LoadFigures {
  requestsPerSecond: number;
  /** Server CPU (its process and every descendant, e.g. workers) over all rounds, in cores (1 = one full core). */
  serverCores?: number;
  /** wrk's own CPU over all rounds, in cores. */
  loadCores?: number;
  /** Server CPU per request over all rounds, in µs: what the machine's other load changes least. */
  cpuMicrosPerRequest?: number;
  /** wrk's own CPU per request over all rounds, in µs: what the load generator takes of the machine per request. */
  loadMicrosPerRequest?: number;
  /** Each round's rate, in the order run (wrkInterleaved runs round i of every target in the same minutes). */
  roundRates: number[];
  /**
   * The share of the machine's CPU time the host took for other guests (Linux's `steal`) during this target's
   * rounds: what the machine could not give anyone, so a figure taken while it was high is the host's, not ours.
   */
  stolenShare?: number;
}

export interface LoadOptions {
  connections?: number;
  seconds?: number;
  rounds?: number;
}

/** One server a load is measured on: where, with which headers, and its process (its CPU, with its children's, is measured). */
export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  pid: number | undefined;
}

/**
 * wrk (1 thread, 16 connections by default), best of 3 rounds of 5 s after a 1 s warm-up, on several
 * servers at once, round by round in turn (ceiling, ours, ours with another setting…): whatever else the
 * machine does at the time falls on all of them alike, so the ratios between them hold even while absolute
 * rates drift; the order turns by one each round, so no target's figures carry the after-effects of always
 * following the same other one. Each target's CPU is counted over its own rounds only. Fails on any non-2xx
 * answer or socket error, so a refused credential never passes for speed.
 */
export async function wrkInterleaved(targets: LoadTarget[], options: LoadOptions = {}): Promise<LoadFigures[]> {
  const { connections = 16, seconds = 5, rounds = 3 } = options;
  for (const target of targets) await wrkOnce(target.url, target.headers, connections, 1);
  const sums = targets.map(() => ({ rates: [] as number[], loadSeconds: 0, wallSeconds: 0, requests: 0, serverMicros: 0 as number | undefined, machine: { steal: 0, total: 0 } }));
  for (let round = 0; round < rounds; round++) {
    // Each round starts one target later, so no target always runs right after the same other one.
    for (let turn = 0; turn < targets.length; turn++) {
      const i = (turn + round) % targets.length;
      const target = targets[i] as LoadTarget;
      const sum = sums[i] as (typeof sums)[number];
      const cpuBefore = target.pid === undefined ? undefined : treeCpuMicros(target.pid);
      const started = process.hrtime.bigint();
      const { result: run, ticks } = await ticksDuring(() => wrkOnce(target.url, target.headers, connections, seconds));
      sum.wallSeconds += Number(process.hrtime.bigint() - started) / 1e9;
      if (ticks) {
        sum.machine.steal += ticks.steal;
        sum.machine.total += ticks.total;
      }
      const cpuAfter = target.pid === undefined ? undefined : treeCpuMicros(target.pid);
      sum.serverMicros = cpuBefore === undefined || cpuAfter === undefined || sum.serverMicros === undefined ? undefined : sum.serverMicros + cpuAfter - cpuBefore;
      sum.rates.push(run.requestsPerSecond);
      sum.loadSeconds += run.cpuSeconds;
      sum.requests += run.requests;
    }
  }
  return sums.map((sum) => ({
    requestsPerSecond: Math.max(...sum.rates),
    roundRates: sum.rates,
    serverCores: sum.serverMicros === undefined ? undefined : sum.serverMicros / 1e6 / sum.wallSeconds,
    loadCores: sum.loadSeconds / sum.wallSeconds,
    cpuMicrosPerRequest: sum.serverMicros === undefined || sum.requests === 0 ? undefined : sum.serverMicros / sum.requests,
    loadMicrosPerRequest: sum.requests === 0 ? undefined : (sum.loadSeconds * 1e6) / sum.requests,
    stolenShare: stolenShare(sum.machine),
  }));
}

/** The machine's CPU time over an interval, every CPU together, in clock ticks: all of it, and what the host stole. */
export interface MachineTicks {
  steal: number;
  total: number;
}

/** Runs `work` and counts the machine's CPU time meanwhile (Linux /proc/stat; undefined elsewhere). */
export async function ticksDuring<T>(work: () => Promise<T>): Promise<{ result: T; ticks: MachineTicks | undefined }> {
  const before = machineTicks();
  const result = await work();
  const after = machineTicks();
  return { result, ticks: before && after ? { steal: after.steal - before.steal, total: after.total - before.total } : undefined };
}

/** The share of the machine's CPU time the host stole (for other guests) in those ticks. */
export function stolenShare(ticks: MachineTicks | undefined): number | undefined {
  return ticks && ticks.total > 0 ? ticks.steal / ticks.total : undefined;
}

/** How every bench row names it: `host steal 13%`, or undefined when it was not measured. */
export function hostSteal(share: number | undefined): string | undefined {
  return share === undefined ? undefined : `host steal ${Math.round(share * 100)}%`;
}

/** The machine's CPU time so far, every CPU together, in clock ticks: all of it, and what the host stole (Linux /proc/stat). */
function machineTicks(): MachineTicks | undefined {
  try {
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((f) => !Number.isFinite(f))) return undefined;
    return { steal: fields[7] as number, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** a's rate over b's, round by round: the median and the spread (lowest, highest) of the per-round ratios. */
export interface PairedRatio {
  median: number;
  low: number;
  high: number;
  /** How many rounds were paired. */
  count: number;
}

/**
 * a's rate over b's from the rounds paired in time (both from one wrkInterleaved run). Each pair was measured
 * a few seconds apart, so a slow spell of the machine falls on both of its figures; the median then drops
 * the pairs a spell split, and the spread shows how far the machine let the pairs disagree. For differences
 * of a few percent this holds where the ratio of the two best rounds, taken minutes apart, does not.
 */
export function pairedRatio(a: LoadFigures, b: LoadFigures): PairedRatio {
  const ratios = a.roundRates.map((rate, i) => rate / (b.roundRates[i] as number)).sort((x, y) => x - y);
  const mid = Math.floor(ratios.length / 2);
  const median = ratios.length % 2 === 1 ? (ratios[mid] as number) : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
  return { median, low: ratios[0] as number, high: ratios.at(-1) as number, count: ratios.length };
}

/** True when `command` is on the PATH (scripts/install-bench-tools.sh installs wrk and the peers). */
export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** CPU of a process and all its descendants (a cluster primary and its workers), in µs. */
export function treeCpuMicros(pid: number): number | undefined {
  if (processCpuMicros(pid) === undefined) return undefined;
  return processTree(pid).reduce((sum, p) => sum + (processCpuMicros(p) ?? 0), 0);
}

/** A process and all its descendants (Linux /proc). */
export function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs wrk under sh so `times` reports wrk's CPU (the shell's children's user and system time). */
function wrkOnce(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<{ requestsPerSecond: number; requests: number; cpuSeconds: number }> {
  // A generous timeout: a slow peer on a busy machine is measured slow, not failed.
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'wrk "$@" && times', 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const rate = /Requests\/sec:\s*([\d.]+)/.exec(out);
      if (code !== 0 || !rate) return reject(new Error(`wrk ${url} failed (${code}):\n${out}`));
      if (/Non-2xx or 3xx responses|Socket errors/.test(out)) return reject(new Error(`wrk ${url}: errors under load:\n${out}`));
      // `times` prints two lines (shell, children), each "<user>m<s>s <sys>m<s>s".
      const children = out.trim().split('\n').at(-1) ?? '';
      const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
      resolve({ requestsPerSecond: Number(rate[1]), requests, cpuSeconds });
    });
  });
}
