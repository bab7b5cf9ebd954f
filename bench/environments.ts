import { measurePullRecording, type PullFigures } from './environments-pulls.js';
import { measureEnvironmentQueries } from './environments-queries.js';
import { createScratchDatabase, postgresAnswers } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';

const PULL_EVENTS = 1_000_000;
const QUERY_TARGET_MS = 50;
const RECORDING_TARGET_PERCENT = 5;

/** Issue 6: what recording pulls costs a pull, and the deployment queries on a million pull events. */
export const environmentsSection: BenchSection = {
  name: 'environments',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const engines: ('sqlite' | 'postgres')[] = (await postgresAnswers(pgAdminUrl)) ? ['sqlite', 'postgres'] : ['sqlite'];
    if (engines.length === 1) process.stderr.write(`bench environments: PostgreSQL does not answer at ${pgAdminUrl}; SQLite only\n`);
    const events = Number(process.env.FLY_BENCH_PULL_EVENTS ?? PULL_EVENTS);
    const rows: BenchResult[] = [];

    for (const engine of engines) {
      const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const served = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
      try {
        rows.push(...recordingRows(await measurePullRecording(served.url, served.dataDir), label));
      } finally {
        await served.drop();
      }
      const scratch = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
      try {
        const q = await measureEnvironmentQueries(scratch.url, events);
        const at = `${q.pullEvents.toLocaleString('en-US')} pull events, ${q.deployments.toLocaleString('en-US')} deployments, ${label}`;
        rows.push({ metric: `pull events written in batches, ${label}`, value: q.pullEvents / q.insertSeconds, unit: 'events/s' });
        for (const [what, f] of [
          ['timeline (newest 100)', q.timeline],
          ['state', q.state],
          ['drift', q.drift],
        ] as const) {
          rows.push(
            { metric: `${what} p50, ${at}`, value: f.p50, unit: 'ms', target: `< ${QUERY_TARGET_MS} ms`, ok: f.p50 < QUERY_TARGET_MS },
            { metric: `${what} p95, ${label}`, value: f.p95, unit: 'ms' },
          );
        }
      } finally {
        await scratch.drop();
      }
    }
    return rows;
  },
};

function recordingRows(pulls: PullFigures, label: string): BenchResult[] {
  // The timeline must show the one image pulled, or nothing was recorded and the cost means nothing.
  const recorded = pulls.recordedDeployments === 1;
  const rows: BenchResult[] = [
    { metric: `manifest GETs, token of no environment, ${label}`, value: pulls.plain, unit: 'req/s' },
    { metric: `manifest GETs, environment token (recorded), ${label}`, value: pulls.environment, unit: 'req/s' },
    {
      metric: `cost of recording pulls, ${label}`,
      value: pulls.costPercent,
      unit: '%',
      target: `< ${RECORDING_TARGET_PERCENT} %`,
      ok: pulls.costPercent < RECORDING_TARGET_PERCENT && recorded,
    },
  ];
  if (pulls.cpuCostPercent !== undefined) {
    rows.push({
      metric: `cost of recording pulls in server CPU per manifest GET (load-independent), ${label}`,
      value: pulls.cpuCostPercent,
      unit: '%',
      target: `< ${RECORDING_TARGET_PERCENT} %`,
      ok: pulls.cpuCostPercent < RECORDING_TARGET_PERCENT && recorded,
    });
  }
  return rows;
}
