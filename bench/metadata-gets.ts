import { installed, wrkLoad } from './load.js';
import { startNodeCeiling } from './peers.js';
import type { BenchResult } from './section.js';
import type { ServerProcess } from '../test/support/server-process.js';

const TARGET_GETS_PER_SECOND = 10_000;

/** One authenticated GET a client makes most, on a running server. */
export interface MetadataGet {
  what: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * The metadata GETs of a protocol (Maven metadata, Go `@v/list`, Helm `index.yaml`, the Cargo index…) as
 * the throughput section measures its three: wrk, each beside the raw Node ceiling measured in the same
 * run, with the server's CPU per request (what the machine's other load changes least). Targets: 10,000/s
 * (the protocol issues) and half the ceiling (issue 21).
 */
export async function metadataGets(server: ServerProcess, gets: MetadataGet[]): Promise<BenchResult[]> {
  if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
  const node = await startNodeCeiling();
  let ceiling: number;
  try {
    ceiling = (await wrkLoad(`${node.url}/`, { pid: node.pid })).requestsPerSecond;
  } finally {
    await node.stop();
  }
  const rows: BenchResult[] = [{ metric: 'raw Node ceiling in this run (node:http, 1 KB of JSON)', value: ceiling, unit: 'req/s' }];
  for (const get of gets) {
    const figures = await wrkLoad(get.url, { headers: get.headers, pid: server.pid });
    const rate = figures.requestsPerSecond;
    const share = `${Math.round((100 * rate) / ceiling)}% of ceiling, ${Math.round(figures.cpuMicrosPerRequest ?? 0)} µs CPU/req`;
    rows.push({
      metric: `authenticated ${get.what} GETs, SQLite, info log (${share})`,
      value: rate,
      unit: 'req/s',
      target: `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} and >= 50% of ceiling`,
      ok: rate >= TARGET_GETS_PER_SECOND && rate >= ceiling / 2,
    });
  }
  return rows;
}
