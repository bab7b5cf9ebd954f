import { join } from 'node:path';
import { hostSteal, installed, wrkInterleaved, type LoadFigures } from './load.js';
import { startNodeCeiling } from './peers.js';
import type { BenchResult } from './section.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const TARGET_GETS_PER_SECOND = 10_000;

/** The data a server was started over (spawnServer's options), so a second one can serve it too. */
export interface ServerData {
  databaseUrl: string;
  dataDir: string;
  admin: { username: string; password: string };
}

/** One authenticated GET a client makes most, as a path on any server of the same data. */
export interface MetadataGet {
  what: string;
  path: string;
  headers: Record<string, string>;
}

/**
 * A protocol's metadata GETs (Maven metadata, Go `@v/list`, Helm `index.yaml`, the Cargo index…) measured as
 * the throughput section measures its three: wrk, access log on, each beside the raw Node ceiling measured in
 * turn with it, with the server's CPU per request (what the machine's other load changes least). On `single`,
 * one process (issue 21's target: half the ceiling), and on a second server over the same data started as
 * `npm start` starts it, one worker per core, where the protocol issues' 10,000/s applies.
 */
export async function metadataGets(single: ServerProcess, data: ServerData, gets: MetadataGet[]): Promise<BenchResult[]> {
  if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
  const node = await startNodeCeiling();
  const server = await spawnServer({ ...data, env: { FLY_WORKERS: 'the number of cores' }, logFile: join(data.dataDir, 'server-default.log') }).catch(async (error: unknown) => {
    await node.stop();
    throw error;
  });
  try {
    const rows: BenchResult[] = [];
    const target = (on: ServerProcess, get: MetadataGet) => ({ url: `${on.url}${get.path}`, headers: get.headers, pid: on.pid });
    let top = 0;
    for (const get of gets) {
      // The ceiling, one process and the default server round by round in turn (bench/load.ts wrkInterleaved).
      const [limit, one, all] = (await wrkInterleaved([{ url: `${node.url}/`, headers: {}, pid: node.pid }, target(single, get), target(server, get)])) as [LoadFigures, LoadFigures, LoadFigures];
      top = Math.max(top, limit.requestsPerSecond);
      const share = (f: LoadFigures) =>
        [`${Math.round((100 * f.requestsPerSecond) / limit.requestsPerSecond)}% of the ceiling measured in turn with it (${Math.round(limit.requestsPerSecond)})`, `${Math.round(f.cpuMicrosPerRequest ?? 0)} µs CPU/req`, hostSteal(f.stolenShare)]
          .filter(Boolean)
          .join(', ');
      rows.push({
        metric: `authenticated ${get.what} GETs, SQLite, 1 process, info log (${share(one)})`,
        value: one.requestsPerSecond,
        unit: 'req/s',
        target: '>= 50% of ceiling',
        ok: one.requestsPerSecond >= limit.requestsPerSecond / 2,
      });
      rows.push({
        metric: `authenticated ${get.what} GETs, SQLite, as npm start runs it (a worker per core, info log; ${share(all)})`,
        value: all.requestsPerSecond,
        unit: 'req/s',
        target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`,
        ok: all.requestsPerSecond >= TARGET_GETS_PER_SECOND,
      });
    }
    return [{ metric: 'raw Node ceiling in this run (node:http, 1 KB of JSON; best of its rounds)', value: top, unit: 'req/s' }, ...rows];
  } finally {
    await server.stop();
    await node.stop();
  }
}
