import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { makeBenchPackages, publishAll, type BenchPackage } from './npm-fixtures.js';
import { median, timeColdInstalls } from './npm-install.js';
import { createScratchDatabase, postgresAnswers } from './scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer } from './server-process.js';
import { startVerdaccio, verdaccioDir } from './verdaccio.js';

/** Issue 4's targets: >= 10,000 authenticated packument GETs/s; an install no slower than Verdaccio's. */
const TARGET_GETS_PER_SECOND = 10_000;
const PACKAGES = 50;
const INSTALL_RUNS = 3;
const DURATION_SECONDS = 8;
const CONNECTIONS = 10;
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

interface Hammered {
  requestsPerSecond: number;
  p99Ms: number;
}

async function hammer(url: string, token: string): Promise<Hammered> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${token}`, accept: ABBREVIATED },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

async function postJson<T>(url: string, body: unknown, bearer?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const dependenciesOf = (packages: BenchPackage[]) => Object.fromEntries(packages.map((p) => [p.name, `^${p.version}`]));

/** A Fly server on one engine with the packages published; measures packument GETs (and installs if asked). */
async function measureFly(engine: 'sqlite' | 'postgres', pgAdminUrl: string, packages: BenchPackage[], installs: boolean): Promise<{ gets: Hammered; installMs?: number[] }> {
  const scratch = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl: scratch.url, dataDir: scratch.dataDir, admin, env: { FLY_LOG_LEVEL: 'warn', FLY_AUTH_FAILURE_LIMIT: '1000000' } });
  try {
    const { sessionToken } = await postJson<{ sessionToken: string }>(`${server.url}/api/v1/auth/login`, admin);
    type Created = { token: string; snippets: { npmrc: string } };
    const writer = await postJson<Created>(`${server.url}/api/v1/tokens`, { name: 'bench publish', permission: 'read-write', expiresAt: null }, sessionToken);
    const reader = await postJson<Created>(`${server.url}/api/v1/tokens`, { name: 'bench install', permission: 'read-only', expiresAt: null }, sessionToken);
    const registry = `${server.url}/artifactory/api/npm/npm/`;
    await publishAll(registry, writer.token, packages);
    const gets = await hammer(`${registry}${packages[0]?.name ?? ''}`, reader.token);
    // Installs use the .npmrc snippet as it is handed out (public URL http://localhost:<port>).
    const installMs = installs ? await timeColdInstalls(reader.snippets.npmrc, dependenciesOf(packages), INSTALL_RUNS) : undefined;
    return { gets, installMs };
  } finally {
    await server.stop();
    await scratch.drop();
  }
}

export const npmSection: BenchSection = {
  name: 'npm',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const packages = await makeBenchPackages(PACKAGES);
    const rows: BenchResult[] = [];

    const sqlite = await measureFly('sqlite', pgAdminUrl, packages, true);
    const getRows = (label: string, gets: Hammered): BenchResult[] => [
      {
        metric: `authenticated abbreviated packument GETs, server on ${label}, ${CONNECTIONS} connections`,
        value: gets.requestsPerSecond,
        unit: 'req/s',
        target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`,
        ok: gets.requestsPerSecond >= TARGET_GETS_PER_SECOND,
      },
      { metric: `authenticated abbreviated packument GETs, server on ${label}: latency p99`, value: gets.p99Ms, unit: 'ms' },
    ];
    rows.push(...getRows('SQLite', sqlite.gets));
    if (await postgresAnswers(pgAdminUrl)) rows.push(...getRows('PostgreSQL', (await measureFly('postgres', pgAdminUrl, packages, false)).gets));
    else process.stderr.write(`bench npm: PostgreSQL does not answer at ${pgAdminUrl}; packument GETs on SQLite only\n`);

    const flyInstall = median(sqlite.installMs ?? []);
    const verdaccio = await startVerdaccio();
    let verdaccioInstall: number | undefined;
    if (verdaccio) {
      try {
        await publishAll(verdaccio.registry, verdaccio.token, packages);
        const gets = await hammer(`${verdaccio.registry}${packages[0]?.name ?? ''}`, verdaccio.token);
        const local = verdaccio.registry.replace('127.0.0.1', 'localhost');
        const npmrc = `registry=${local}\n${local.replace(/^https?:/, '')}:_authToken=${verdaccio.token}\n`;
        verdaccioInstall = median(await timeColdInstalls(npmrc, dependenciesOf(packages), INSTALL_RUNS));
        rows.push({ metric: 'Verdaccio 6.8.0: authenticated abbreviated packument GETs (same load)', value: gets.requestsPerSecond, unit: 'req/s' });
      } finally {
        await verdaccio.stop();
      }
    } else {
      process.stderr.write(`bench npm: Verdaccio is not installed in ${verdaccioDir()} (run scripts/install-verdaccio.sh); no comparison\n`);
    }
    rows.push({
      metric: `npm install of ${PACKAGES} private packages, cold cache, median of ${INSTALL_RUNS}`,
      value: flyInstall,
      unit: 'ms',
      ...(verdaccioInstall === undefined ? {} : { target: `<= Verdaccio (${Math.round(verdaccioInstall)} ms)`, ok: flyInstall <= verdaccioInstall }),
    });
    if (verdaccioInstall !== undefined) {
      rows.push({ metric: `Verdaccio 6.8.0: the same install, cold cache, median of ${INSTALL_RUNS}`, value: verdaccioInstall, unit: 'ms' });
    }
    return rows;
  },
};
