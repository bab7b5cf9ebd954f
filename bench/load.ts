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
}

export interface LoadOptions {
  headers?: Record<string, string>;
  /** The serving process: its CPU (with its children's) is measured. */
  pid?: number;
  connections?: number;
  seconds?: number;
  rounds?: number;
}

/**
 * wrk (1 thread, 16 connections by default), best of 3 rounds of 5 s after a 1 s warm-up. Fails on any
 * non-2xx answer or socket error, so a refused credential never passes for speed.
 */
export async function wrkLoad(url: string, options: LoadOptions = {}): Promise<LoadFigures> {
  const { connections = 16, seconds = 5, rounds = 3, headers = {}, pid } = options;
  await wrkOnce(url, headers, connections, 1);
  let best = 0;
  let loadSeconds = 0;
  let requests = 0;
  const cpuBefore = pid === undefined ? undefined : treeCpuMicros(pid);
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    const run = await wrkOnce(url, headers, connections, seconds);
    best = Math.max(best, run.requestsPerSecond);
    loadSeconds += run.cpuSeconds;
    requests += run.requests;
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = pid === undefined ? undefined : treeCpuMicros(pid);
  const serverMicros = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    requestsPerSecond: best,
    serverCores: serverMicros === undefined ? undefined : serverMicros / 1e6 / wallSeconds,
    loadCores: loadSeconds / wallSeconds,
    cpuMicrosPerRequest: serverMicros === undefined || requests === 0 ? undefined : serverMicros / requests,
  };
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
