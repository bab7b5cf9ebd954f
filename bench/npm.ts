import autocannon from 'autocannon';
import { adminSession } from './api-calls.js';
import { randomBytes } from 'node:crypto';
import { makeBenchPackages, publishAll, type BenchPackage } from '../test/support/npm-fixtures.js';
import { median, timeColdInstalls } from './npm-install.js';
import { processCpuMicros } from './process-cpu.js';
import { createScratchDatabase, postgresAnswers } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer } from '../test/support/server-process.js';
import { startVerdaccio, verdaccioDir } from './verdaccio.js';

/** Issue 4's targets: >= 10,000 authenticated packument GETs/s; an install no slower than Verdaccio's. */
const TARGET_GETS_PER_SECOND = 10_000;
const PACKAGES = 50;
/** Installs alternate between the registries, so both see the same machine load. */
const INSTALL_ROUNDS = 5;
const DURATION_SECONDS = 8;
const CONNECTIONS = 10;
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

interface Registry {
  /** Where to GET a packument from, with a token that may read it. */
  packumentUrl: string;
  readToken: string;
  /** The serving process, whose CPU time is measured. */
  pid: number;
  /** The .npmrc an installing project uses. */
  npmrc: string;
  stop(): Promise<void>;
}

interface Hammered {
  requestsPerSecond: number;
  p99Ms: number;
  /** Server CPU (user + system) per request: what req/s would be on a core of its own, independent of load. */
  cpuUsPerRequest?: number;
}

async function hammer(registry: Registry): Promise<Hammered> {
  const cpuBefore = processCpuMicros(registry.pid);
  const result = await autocannon({
    url: registry.packumentUrl,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${registry.readToken}`, accept: ABBREVIATED },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${registry.packumentUrl}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  const cpuAfter = processCpuMicros(registry.pid);
  const cpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / result.requests.total : undefined;
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, cpuUsPerRequest };
}

/** A Fly server on a scratch database, logging at warn, with the packages published by a read & write token. */
async function startFly(engine: 'sqlite' | 'postgres', pgAdminUrl: string, packages: BenchPackage[]): Promise<Registry> {
  const scratch = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl: scratch.url, dataDir: scratch.dataDir, admin, env: { FLY_LOG_LEVEL: 'warn', FLY_AUTH_FAILURE_LIMIT: '1000000' } });
  const stop = async () => {
    await server.stop();
    await scratch.drop();
  };
  try {
    const session = await adminSession(server.url, admin);
    const writer = await session.createToken('bench publish', 'read-write');
    const reader = await session.createToken('bench install', 'read-only');
    const registry = `${server.url}/artifactory/api/npm/npm/`;
    await publishAll(registry, writer.token, packages);
    // Installs use the .npmrc snippet exactly as it is handed out (public URL http://localhost:<port>).
    return { packumentUrl: `${registry}${packages[0]?.name ?? ''}`, readToken: reader.token, pid: server.pid, npmrc: reader.snippets.npmrc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startVerdaccioRegistry(packages: BenchPackage[]): Promise<Registry | undefined> {
  const verdaccio = await startVerdaccio();
  if (!verdaccio) return undefined;
  try {
    await publishAll(verdaccio.registry, verdaccio.token, packages);
  } catch (error) {
    await verdaccio.stop();
    throw error;
  }
  // Same host spelling as Fly's snippet, so name resolution costs the same for both.
  const local = verdaccio.registry.replace('127.0.0.1', 'localhost');
  return {
    packumentUrl: `${verdaccio.registry}${packages[0]?.name ?? ''}`,
    readToken: verdaccio.token,
    pid: verdaccio.pid,
    npmrc: `registry=${local}\n${local.replace(/^https?:/, '')}:_authToken=${verdaccio.token}\n`,
    stop: verdaccio.stop,
  };
}

function getRows(label: string, gets: Hammered): BenchResult[] {
  const rows: BenchResult[] = [
    {
      metric: `authenticated abbreviated packument GETs, ${label}, ${CONNECTIONS} connections`,
      value: gets.requestsPerSecond,
      unit: 'req/s',
      target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`,
      ok: gets.requestsPerSecond >= TARGET_GETS_PER_SECOND,
    },
    { metric: `authenticated abbreviated packument GETs, ${label}: latency p99`, value: gets.p99Ms, unit: 'ms' },
  ];
  if (gets.cpuUsPerRequest !== undefined) {
    const budget = 1e6 / TARGET_GETS_PER_SECOND;
    rows.push({
      metric: `server CPU per authenticated packument GET, ${label} (load-independent)`,
      value: gets.cpuUsPerRequest,
      unit: 'µs',
      target: `<= ${budget} µs (${TARGET_GETS_PER_SECOND.toLocaleString('en-US')}/s on one core)`,
      ok: gets.cpuUsPerRequest <= budget,
    });
  }
  return rows;
}

export const npmSection: BenchSection = {
  name: 'npm',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const packages = await makeBenchPackages(PACKAGES);
    const dependencies = Object.fromEntries(packages.map((p) => [p.name, `^${p.version}`]));
    const rows: BenchResult[] = [];

    if (await postgresAnswers(pgAdminUrl)) {
      const pg = await startFly('postgres', pgAdminUrl, packages);
      try {
        rows.push(...getRows('server on PostgreSQL', await hammer(pg)));
      } finally {
        await pg.stop();
      }
    } else {
      process.stderr.write(`bench npm: PostgreSQL does not answer at ${pgAdminUrl}; SQLite only\n`);
    }

    const fly = await startFly('sqlite', pgAdminUrl, packages);
    let verdaccio: Registry | undefined;
    try {
      rows.unshift(...getRows('server on SQLite', await hammer(fly)));
      verdaccio = await startVerdaccioRegistry(packages);
      if (verdaccio) {
        const gets = await hammer(verdaccio);
        rows.push({ metric: 'Verdaccio 6.8.0: authenticated abbreviated packument GETs, same load', value: gets.requestsPerSecond, unit: 'req/s' });
        if (gets.cpuUsPerRequest !== undefined) rows.push({ metric: 'Verdaccio 6.8.0: server CPU per packument GET', value: gets.cpuUsPerRequest, unit: 'µs' });
      }
      else process.stderr.write(`bench npm: Verdaccio is not installed in ${verdaccioDir()} (run scripts/install-verdaccio.sh); no comparison\n`);

      const flyTimes: number[] = [];
      const verdaccioTimes: number[] = [];
      for (let round = 0; round < INSTALL_ROUNDS; round++) {
        flyTimes.push(...(await timeColdInstalls(fly.npmrc, dependencies, 1)));
        if (verdaccio) verdaccioTimes.push(...(await timeColdInstalls(verdaccio.npmrc, dependencies, 1)));
      }
      const flyInstall = median(flyTimes);
      const verdaccioInstall = verdaccio ? median(verdaccioTimes) : undefined;
      const what = `npm install of ${PACKAGES} private packages, cold cache, median of ${INSTALL_ROUNDS}`;
      rows.push({
        metric: what,
        value: flyInstall,
        unit: 'ms',
        ...(verdaccioInstall === undefined ? {} : { target: `<= Verdaccio (${Math.round(verdaccioInstall)} ms)`, ok: flyInstall <= verdaccioInstall }),
      });
      if (verdaccioInstall !== undefined) rows.push({ metric: `Verdaccio 6.8.0: ${what} (rounds alternate)`, value: verdaccioInstall, unit: 'ms' });
    } finally {
      await verdaccio?.stop();
      await fly.stop();
    }
    return rows;
  },
};
