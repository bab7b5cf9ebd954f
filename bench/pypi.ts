import autocannon from 'autocannon';
import { adminSession } from './api-calls.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { processCpuMicros } from './process-cpu.js';
import { buildWheel } from '../test/support/python-dists.js';
import { uploadDistribution } from '../test/support/pypi-upload.js';
import { createVenv, pip, pipIndexUrl, run } from '../test/support/python-tools.js';
import { createScratchDatabase, postgresAnswers } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const TARGET_GETS_PER_SECOND = 8000;
const WHEELS = 30;
const DURATION_SECONDS = 8;
const CONNECTIONS = 10;
/** What pip 23 asks the index for. */
const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

interface Tokens {
  writer: { username: string; token: string };
  reader: { username: string; token: string };
}

async function tokensFor(server: ServerProcess, admin: { username: string; password: string }): Promise<Tokens> {
  const session = await adminSession(server.url, admin);
  return { writer: await session.createToken('bench upload', 'read-write'), reader: await session.createToken('bench install', 'read-only') };
}

/** Builds and uploads `count` small wheels (fly-bench-00…), each depending on nothing. */
async function publishWheels(server: ServerProcess, tokens: Tokens, dir: string, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `fly-bench-${String(i).padStart(2, '0')}`;
    const wheel = await buildWheel(dir, { name, version: '1.0.0', requiresPython: '>=3.8' });
    const result = await uploadDistribution(server.url, tokens.writer.username, tokens.writer.token, wheel);
    if (result.status !== 200) throw new Error(`uploading ${wheel}: ${result.status} ${result.text}`);
    names.push(name);
  }
  return names;
}

/** Authenticated JSON Simple API GETs of one project page, the request pip makes first for every package. */
async function indexGets(server: ServerProcess, tokens: Tokens, project: string) {
  const basic = Buffer.from(`${tokens.reader.username}:${tokens.reader.token}`).toString('base64');
  const cpuBefore = processCpuMicros(server.pid);
  const result = await autocannon({
    url: `${server.url}/artifactory/api/pypi/pypi/simple/${project}/`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Basic ${basic}`, accept: PIP_ACCEPT },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`simple index: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  const cpuAfter = processCpuMicros(server.pid);
  const cpuPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / result.requests.total : undefined;
  return { perSecond: result.requests.average, p99: result.latency.p99, cpuPerRequest };
}

/** Seconds for `pip install` of every wheel into a fresh venv with no pip cache (the venv is made beforehand). */
async function pipInstallSeconds(server: ServerProcess, tokens: Tokens, dir: string, names: string[]): Promise<number> {
  const python = await createVenv(join(dir, 'venv'));
  const started = performance.now();
  const result = await pip(python, pipIndexUrl(server.host, tokens.reader.username, tokens.reader.token), ['install', '--no-compile', ...names]);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`pip install failed:\n${result.output}`);
  const check = await run(python, ['-c', `import ${names.map((n) => n.replace(/-/g, '_')).join(', ')}`]);
  if (check.code !== 0) throw new Error(`installed packages do not import:\n${check.output}`);
  return seconds;
}

async function onEngine(engine: 'sqlite' | 'postgres', pgAdminUrl: string, withPip: boolean): Promise<BenchResult[]> {
  const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const database = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
  const work = mkdtempSync(join(tmpdir(), 'flybench-pypi-'));
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl: database.url, dataDir: database.dataDir, admin, env: { FLY_LOG_LEVEL: 'warn' } });
  try {
    const tokens = await tokensFor(server, admin);
    const names = await publishWheels(server, tokens, work, withPip ? WHEELS : 1);
    const gets = await indexGets(server, tokens, names[0] as string);
    const rows: BenchResult[] = [
      {
        metric: `authenticated simple-index GETs (JSON, Basic token), ${label}`,
        value: gets.perSecond,
        unit: 'req/s',
        target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`,
        ok: gets.perSecond >= TARGET_GETS_PER_SECOND,
      },
      { metric: `simple-index GET latency p99, ${label}`, value: gets.p99, unit: 'ms' },
    ];
    if (gets.cpuPerRequest !== undefined) {
      rows.push({ metric: `server CPU per simple-index GET, ${label}`, value: gets.cpuPerRequest, unit: 'µs' });
    }
    if (withPip) {
      rows.push({ metric: `pip install of ${WHEELS} wheels, cold pip cache, ${label}`, value: await pipInstallSeconds(server, tokens, work, names), unit: 's' });
    }
    return rows;
  } finally {
    await server.stop();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Issue 5's figures: index GETs/s (target >= 8,000 on this machine) and pip install time of 30 wheels. */
export const pypiSection: BenchSection = {
  name: 'pypi',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const rows = await onEngine('sqlite', pgAdminUrl, true);
    if (await postgresAnswers(pgAdminUrl)) rows.push(...(await onEngine('postgres', pgAdminUrl, false)));
    else process.stderr.write(`bench pypi: PostgreSQL does not answer at ${pgAdminUrl}; SQLite only\n`);
    return rows;
  },
};
