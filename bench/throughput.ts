import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminSession } from './api-calls.js';
import { installed, wrkLoad, type LoadFigures } from './load.js';
import { makeBenchPackages, publishAll } from '../test/support/npm-fixtures.js';
import { bearer, pushImage } from './oci.js';
import { measureCeiling, pushTinyImage, startDistribution, startPypiserver } from './peers.js';
import type { BenchResult, BenchSection } from './section.js';
import { startVerdaccio } from './verdaccio.js';
import { buildWheel } from '../test/support/python-dists.js';
import { uploadDistribution } from '../test/support/pypi-upload.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
const ADMIN = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };

/** The three requests a client makes most, each with its URL and headers on a running Fly server. */
interface Works {
  manifest: Request;
  packument: Request;
  simpleIndex: Request;
}
interface Request {
  url: string;
  headers: Record<string, string>;
}

interface Fly {
  server: ServerProcess;
  works: Works;
  stop(): Promise<void>;
}

/**
 * Issue 21: the server as `npm start` runs it (SQLite, access log at `info`, the default), each figure
 * beside the raw Node ceiling measured in the same run; `warn` logging and 2 workers as further rows; the
 * peers (distribution, Verdaccio, pypiserver) where installed. Needs wrk (scripts/install-bench-tools.sh).
 */
export const throughputSection: BenchSection = {
  name: 'throughput',
  async run(): Promise<BenchResult[]> {
    if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
    const rows: BenchResult[] = [];
    const ceilingBefore = await measureCeiling();

    // One wheel for Fly and pypiserver alike, kept outside every server's data dir until the section ends.
    const wheelDir = mkdtempSync(join(tmpdir(), 'flybench-wheel-'));
    const wheel = await buildWheel(wheelDir, { name: 'fly-bench', version: '1.0.0', requiresPython: '>=3.8' });
    let single, quiet, double, peers;
    try {
      single = await measureFly({ workers: 1, log: 'info' }, ['manifest', 'packument', 'simpleIndex'], wheel);
      quiet = await measureFly({ workers: 1, log: 'warn' }, ['manifest', 'packument', 'simpleIndex'], wheel);
      double = await measureFly({ workers: 2, log: 'info' }, ['manifest'], wheel);
      peers = await measurePeers(wheel);
    } finally {
      rmSync(wheelDir, { recursive: true, force: true });
    }
    const top = Math.max(ceilingBefore.requestsPerSecond, (await measureCeiling()).requestsPerSecond);

    rows.push({ metric: `raw Node ceiling: node:http answering 1 KB of JSON (best of before/after)${cpu(ceilingBefore)}`, value: top, unit: 'req/s' });
    const label = { manifest: 'authenticated manifest GET', packument: 'authenticated abbreviated packument GET', simpleIndex: 'authenticated simple-index GET' } as const;
    for (const [work, figures] of Object.entries(single.figures) as [keyof Works, LoadFigures][]) {
      const share = figures.requestsPerSecond / top;
      rows.push({
        metric: `${label[work]}, 1 worker, info log (default): ${pct(share)} of ceiling${cpu(figures)}`,
        value: figures.requestsPerSecond,
        unit: 'req/s',
        target: `>= 50% of ceiling (${fmt(top / 2)})`,
        ok: share >= 0.5,
      });
    }
    for (const [work, figures] of Object.entries(quiet.figures) as [keyof Works, LoadFigures][]) {
      rows.push({ metric: `${label[work]}, 1 worker, warn log: ${pct(figures.requestsPerSecond / top)} of ceiling${cpu(figures)}`, value: figures.requestsPerSecond, unit: 'req/s' });
    }
    for (const work of Object.keys(label) as (keyof Works)[]) {
      const info = single.figures[work]?.requestsPerSecond;
      const warn = quiet.figures[work]?.requestsPerSecond;
      if (info === undefined || warn === undefined) continue;
      const cost = 1 - info / warn;
      rows.push({ metric: `access-log cost on the ${label[work]} (1 − info/warn)`, value: cost * 100, unit: '%', target: '< 10%', ok: cost < 0.1 });
    }
    const two = double.figures.manifest;
    const one = single.figures.manifest;
    if (two && one) {
      rows.push({ metric: `${label.manifest}, 2 workers, info log: ${pct(two.requestsPerSecond / top)} of ceiling${cpu(two)}`, value: two.requestsPerSecond, unit: 'req/s' });
      rows.push({ metric: '2 workers ÷ 1 worker on the manifest GET', value: two.requestsPerSecond / one.requestsPerSecond, unit: '×', target: '>= 1.6×', ok: two.requestsPerSecond / one.requestsPerSecond >= 1.6 });
    }
    const peerRows: [string, keyof Works, number, LoadFigures | undefined][] = [
      ['distribution (Debian docker-registry, htpasswd) manifest GET', 'manifest', 20, peers.distribution],
      ['Verdaccio 6.8 (JWT) abbreviated packument GET', 'packument', 20, peers.verdaccio],
      ['pypiserver 2.4.1 (no auth) simple-index GET', 'simpleIndex', 10, peers.pypiserver],
    ];
    for (const [name, work, target, figures] of peerRows) {
      const ours = single.figures[work]?.requestsPerSecond;
      if (!figures || ours === undefined) {
        rows.push({ metric: `${name}: not installed (scripts/install-bench-tools.sh)`, value: Number.NaN, unit: '' });
        continue;
      }
      rows.push({ metric: `${name}${cpu(figures)}`, value: figures.requestsPerSecond, unit: 'req/s' });
      const ratio = ours / figures.requestsPerSecond;
      rows.push({ metric: `Fly (1 worker, info log) ÷ ${name.split(' (')[0]}`, value: ratio, unit: '×', target: `>= ${target}×`, ok: ratio >= target });
    }
    return rows;
  },
};

async function measureFly(config: { workers: number; log: string }, works: (keyof Works)[], wheel: string): Promise<{ figures: Partial<Record<keyof Works, LoadFigures>> }> {
  const fly = await startFly(config, wheel);
  try {
    const figures: Partial<Record<keyof Works, LoadFigures>> = {};
    for (const work of works) {
      figures[work] = await wrkLoad(fly.works[work].url, { headers: fly.works[work].headers, pid: fly.server.pid });
      process.stderr.write(`bench: ${work}, ${config.workers} worker(s), ${config.log}: ${Math.round(figures[work]?.requestsPerSecond ?? 0)} req/s\n`);
    }
    return { figures };
  } finally {
    await fly.stop();
  }
}

/** `flyreg serve` on SQLite with only what a fresh install sets, an image, a package and a wheel published. */
async function startFly(config: { workers: number; log: string }, wheel: string): Promise<Fly> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flybench-throughput-'));
  const server = await spawnServer({
    databaseUrl: `sqlite:${join(dataDir, 'fly.db')}`,
    dataDir,
    admin: ADMIN,
    env: { FLY_LOG_LEVEL: config.log, FLY_WORKERS: String(config.workers) },
    logFile: join(dataDir, 'server.log'),
  });
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const session = await adminSession(server.url, ADMIN);
    const writer = await session.createToken('bench publish', 'read-write');
    const reader = await session.createToken('bench read', 'read-only');
    await pushImage(server.url, await bearer(server.url, writer, 'repository:bench/app:pull,push'), 'bench/app', 'v1', [4096]);
    const [pkg] = await makeBenchPackages(1);
    if (!pkg) throw new Error('no bench package');
    await publishAll(`${server.url}/npm/`, writer.token, [pkg]);
    const upload = await uploadDistribution(server.url, writer.username, writer.token, wheel);
    if (upload.status !== 200) throw new Error(`wheel upload: ${upload.status} ${upload.text}`);
    const basic = `Basic ${Buffer.from(`${reader.username}:${reader.token}`).toString('base64')}`;
    const works: Works = {
      manifest: { url: `${server.url}/v2/bench/app/manifests/v1`, headers: { authorization: await bearer(server.url, reader, 'repository:bench/app:pull'), accept: OCI_MANIFEST } },
      packument: { url: `${server.url}/npm/${pkg.name}`, headers: { authorization: `Bearer ${reader.token}`, accept: ABBREVIATED } },
      simpleIndex: { url: `${server.url}/pypi/simple/fly-bench/`, headers: { authorization: basic, accept: PIP_ACCEPT } },
    };
    return { server, works, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The peers on the same requests, each with what it was given to serve. */
async function measurePeers(wheel: string): Promise<Partial<Record<'distribution' | 'verdaccio' | 'pypiserver', LoadFigures>>> {
  const out: Partial<Record<'distribution' | 'verdaccio' | 'pypiserver', LoadFigures>> = {};
  // One peer failing to start or to take its fixture leaves its row "not measured", not the whole section.
  const attempt = async (name: keyof typeof out, measure: () => Promise<LoadFigures | undefined>) => {
    try {
      const figures = await measure();
      if (figures) out[name] = figures;
    } catch (error) {
      process.stderr.write(`bench: ${name} not measured: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  await attempt('distribution', async () => {
    const distribution = await startDistribution();
    if (!distribution) return undefined;
    try {
      await pushTinyImage(distribution.url, distribution.auth, 'bench/app', 'v1');
      return await wrkLoad(`${distribution.url}/v2/bench/app/manifests/v1`, { headers: { authorization: distribution.auth, accept: OCI_MANIFEST }, pid: distribution.pid });
    } finally {
      await distribution.stop();
    }
  });
  await attempt('verdaccio', async () => {
    const verdaccio = await startVerdaccio();
    if (!verdaccio) return undefined;
    try {
      const [pkg] = await makeBenchPackages(1);
      if (!pkg) throw new Error('no bench package');
      await publishAll(verdaccio.registry, verdaccio.token, [pkg]);
      return await wrkLoad(`${verdaccio.registry}${pkg.name}`, { headers: { authorization: `Bearer ${verdaccio.token}`, accept: ABBREVIATED }, pid: verdaccio.pid });
    } finally {
      await verdaccio.stop();
    }
  });
  await attempt('pypiserver', async () => {
    const pypiserver = await startPypiserver([wheel]);
    if (!pypiserver) return undefined;
    try {
      return await wrkLoad(`${pypiserver.url}/simple/fly-bench/`, { headers: { accept: PIP_ACCEPT }, pid: pypiserver.pid });
    } finally {
      await pypiserver.stop();
    }
  });
  return out;
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function cpu(figures: LoadFigures): string {
  const server = figures.serverCores === undefined ? '' : `server ${figures.serverCores.toFixed(2)} cores, ${Math.round(figures.cpuMicrosPerRequest ?? 0)} µs CPU/req`;
  const load = figures.loadCores === undefined ? '' : `wrk ${figures.loadCores.toFixed(2)} cores`;
  return server || load ? ` (${[server, load].filter(Boolean).join(', ')})` : '';
}
