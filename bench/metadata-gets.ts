import { join } from 'node:path';
import { installed, wrkLoad, type LoadFigures } from './load.js';
import { measureCeiling } from './peers.js';
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
 * the throughput section measures its three: wrk, access log on, each beside the raw Node ceiling of the same
 * run, with the server's CPU per request (what the machine's other load changes least). Twice: on `single`,
 * one process (issue 21's target: half the ceiling), and on a second server over the same data started as
 * `npm start` starts it, one worker per core, where the protocol issues' 10,000/s applies.
 */
export async function metadataGets(single: ServerProcess, data: ServerData, gets: MetadataGet[]): Promise<BenchResult[]> {
  if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
  const ceiling = (await measureCeiling()).requestsPerSecond;
  const rows: BenchResult[] = [{ metric: 'raw Node ceiling in this run (node:http, 1 KB of JSON)', value: ceiling, unit: 'req/s' }];
  const load = (server: ServerProcess, get: MetadataGet) => wrkLoad(`${server.url}${get.path}`, { headers: get.headers, pid: server.pid });
  const share = (f: LoadFigures) => `${Math.round((100 * f.requestsPerSecond) / ceiling)}% of ceiling, ${Math.round(f.cpuMicrosPerRequest ?? 0)} µs CPU/req`;
  for (const get of gets) {
    const f = await load(single, get);
    rows.push({
      metric: `authenticated ${get.what} GETs, SQLite, 1 process, info log (${share(f)})`,
      value: f.requestsPerSecond,
      unit: 'req/s',
      target: '>= 50% of ceiling',
      ok: f.requestsPerSecond >= ceiling / 2,
    });
  }
  const server = await spawnServer({ ...data, env: { FLY_WORKERS: 'the number of cores' }, logFile: join(data.dataDir, 'server-default.log') });
  try {
    for (const get of gets) {
      const f = await load(server, get);
      rows.push({
        metric: `authenticated ${get.what} GETs, SQLite, as npm start runs it (a worker per core, info log; ${share(f)})`,
        value: f.requestsPerSecond,
        unit: 'req/s',
        target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`,
        ok: f.requestsPerSecond >= TARGET_GETS_PER_SECOND,
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}
