import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminSession } from './api-calls.js';
import { installed, wrkInterleaved, wrkLoad, type LoadFigures } from './load.js';
import { makeBenchPackages, publishAll } from '../test/support/npm-fixtures.js';
import { bearer, pushImage } from './oci.js';
import { pushTinyImage, startDistribution, startNodeCeiling, startPypiserver } from './peers.js';
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
 * beside the raw Node ceiling measured in turn with it; `warn` logging and 2 workers as further rows; the
 * peers (distribution, Verdaccio, pypiserver) where installed. Needs wrk (scripts/install-bench-tools.sh).
 */
export const throughputSection: BenchSection = {
  name: 'throughput',
  async run(): Promise<BenchResult[]> {
    if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
    const rows: BenchResult[] = [];
    // One wheel for Fly and pypiserver alike, kept outside every server's data dir until the section ends.
    const wheelDir = mkdtempSync(join(tmpdir(), 'flybench-wheel-'));
    const wheel = await buildWheel(wheelDir, { name: 'fly-bench', version: '1.0.0', requiresPython: '>=3.8' });
    let measured, peers;
    try {
      measured = await measureFly(wheel);
      peers = await measurePeers(wheel);
    } finally {
      rmSync(wheelDir, { recursive: true, force: true });
    }
    const { ceiling, single, quiet, double } = measured;
    const top = Math.max(...Object.values(ceiling).map((f) => f.requestsPerSecond));
    rows.push({ metric: `raw Node ceiling: node:http answering 1 KB of JSON (best of its rounds)${cpu(ceiling.manifest)}`, value: top, unit: 'req/s' });
    const label = { manifest: 'authenticated manifest GET', packument: 'authenticated abbreviated packument GET', simpleIndex: 'authenticated simple-index GET' } as const;
    const beside = (work: keyof Works, figures: LoadFigures) => {
      const limit = ceiling[work].requestsPerSecond;
      return { share: figures.requestsPerSecond / limit, text: `${pct(figures.requestsPerSecond / limit)} of the ceiling measured in turn with it (${fmt(limit)})` };
    };
    for (const work of WORKS) {
      const { share, text } = beside(work, single[work]);
      rows.push({ metric: `${label[work]}, 1 worker, info log (default): ${text}${cpu(single[work])}`, value: single[work].requestsPerSecond, unit: 'req/s', target: '>= 50% of ceiling', ok: share >= 0.5 });
    }
    for (const work of WORKS) {
      rows.push({ metric: `${label[work]}, 1 worker, warn log: ${beside(work, quiet[work]).text}${cpu(quiet[work])}`, value: quiet[work].requestsPerSecond, unit: 'req/s' });
    }
    for (const work of WORKS) {
      const cost = 1 - single[work].requestsPerSecond / quiet[work].requestsPerSecond;
      rows.push({ metric: `access-log cost on the ${label[work]} (1 − info/warn)`, value: cost * 100, unit: '%', target: '< 10%', ok: cost < 0.1 });
    }
    const one = single.manifest.requestsPerSecond;
    rows.push({ metric: `${label.manifest}, 2 workers, info log: ${beside('manifest', double).text}${cpu(double)}`, value: double.requestsPerSecond, unit: 'req/s' });
    rows.push({ metric: '2 workers ÷ 1 worker on the manifest GET', value: double.requestsPerSecond / one, unit: '×', target: '>= 1.6×', ok: double.requestsPerSecond / one >= 1.6 });
    const peerRows: [string, keyof Works, number, LoadFigures | undefined][] = [
      ['distribution (Debian docker-registry, htpasswd) manifest GET', 'manifest', 20, peers.distribution],
      ['Verdaccio 6.8 (JWT) abbreviated packument GET', 'packument', 20, peers.verdaccio],
      ['pypiserver 2.4.1 (no auth) simple-index GET', 'simpleIndex', 10, peers.pypiserver],
    ];
    for (const [name, work, target, figures] of peerRows) {
      const ours = single[work].requestsPerSecond;
      if (!figures) {
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

const WORKS = ['manifest', 'packument', 'simpleIndex'] as const;

interface FlyFigures {
  /** The raw Node ceiling, measured in turn with each work. */
  ceiling: Record<keyof Works, LoadFigures>;
  /** 1 worker, `info` (the default), and 1 worker at `warn`. */
  single: Record<keyof Works, LoadFigures>;
  quiet: Record<keyof Works, LoadFigures>;
  /** 2 workers, `info`, on the manifest GET. */
  double: LoadFigures;
}

/**
 * The raw Node ceiling and three Fly servers (1 worker at info, 1 at warn, 2 workers at info) run side by
 * side; each work is measured on them round by round in turn (wrkInterleaved), so every ratio the section
 * reports (share of the ceiling, access-log cost, 2 workers ÷ 1) compares figures taken in the same minutes.
 */
async function measureFly(wheel: string): Promise<FlyFigures> {
  const servers: { stop(): Promise<void> }[] = [];
  try {
    const node = await startNodeCeiling();
    servers.push(node);
    const limit = { url: `${node.url}/`, headers: {}, pid: node.pid };
    const fly = async (config: { workers: number; log: string }) => {
      const started = await startFly(config, wheel);
      servers.push(started);
      return (work: keyof Works) => ({ ...started.works[work], pid: started.server.pid });
    };
    const [single, quiet, double] = [await fly({ workers: 1, log: 'info' }), await fly({ workers: 1, log: 'warn' }), await fly({ workers: 2, log: 'info' })];
    const out: Partial<Record<keyof Works, LoadFigures[]>> = {};
    for (const work of WORKS) {
      out[work] = await wrkInterleaved([limit, single(work), quiet(work), ...(work === 'manifest' ? [double(work)] : [])]);
      process.stderr.write(`bench: ${work}: ceiling, info, warn${work === 'manifest' ? ', 2 workers' : ''}: ${(out[work] ?? []).map((f) => Math.round(f.requestsPerSecond)).join(', ')} req/s\n`);
    }
    const pick = (index: number) => Object.fromEntries(WORKS.map((w) => [w, (out[w] as LoadFigures[])[index] as LoadFigures])) as Record<keyof Works, LoadFigures>;
    return { ceiling: pick(0), single: pick(1), quiet: pick(2), double: (out.manifest as LoadFigures[])[3] as LoadFigures };
  } finally {
    for (const server of servers.reverse()) await server.stop();
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
