import { measureAuthCore, type AuthCoreFigures } from './auth-core.js';
import { measureAuthHttp } from './auth-http.js';
import { createScratchDatabase, postgresAnswers } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';

/** The target: an authenticated request costs < 50 µs of auth work, whatever the number of tokens. */
const TARGET_US = 50;
/** "Must not grow with the number of tokens": the 100,000-token cost within this factor of the 10-token cost. */
const MAX_GROWTH = 2;
const STAGES = [10, 100_000];

function coreRows(engine: string, figures: AuthCoreFigures[]): BenchResult[] {
  const rows: BenchResult[] = [];
  for (const f of figures) {
    const at = `${engine}, ${f.tokens.toLocaleString('en-US')} tokens`;
    rows.push(
      { metric: `core verifications, cached, ${at}`, value: 1e6 / f.cachedUs, unit: 'verif/s' },
      { metric: `core cost per verification, cached, ${at}`, value: f.cachedUs, unit: 'µs', target: `< ${TARGET_US} µs`, ok: f.cachedUs < TARGET_US },
      { metric: `core verifications, uncached, ${at}`, value: 1e6 / f.uncachedUs, unit: 'verif/s' },
      { metric: `core cost per verification, uncached, ${at}`, value: f.uncachedUs, unit: 'µs' },
    );
  }
  const [small, large] = [figures[0], figures.at(-1)];
  if (small && large && small !== large) {
    for (const mode of ['cached', 'uncached'] as const) {
      const growth = large[`${mode}Us`] / small[`${mode}Us`];
      rows.push({
        metric: `core cost growth ${small.tokens} → ${large.tokens.toLocaleString('en-US')} tokens, ${mode}, ${engine}`,
        value: growth,
        unit: '×',
        target: `< ${MAX_GROWTH} ×`,
        ok: growth < MAX_GROWTH,
      });
    }
  }
  return rows;
}

export const authSection: BenchSection = {
  name: 'auth',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const engines: ('sqlite' | 'postgres')[] = (await postgresAnswers(pgAdminUrl)) ? ['sqlite', 'postgres'] : ['sqlite'];
    if (engines.length === 1) process.stderr.write(`bench auth: PostgreSQL does not answer at ${pgAdminUrl}; SQLite only\n`);
    const rows: BenchResult[] = [];
    for (const engine of engines) {
      const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const core = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
      try {
        rows.push(...coreRows(label, await measureAuthCore(core.url, STAGES)));
      } finally {
        await core.drop();
      }
      const served = await createScratchDatabase(engine, pgAdminUrl, 'flybench');
      try {
        const http = await measureAuthHttp(served.url, served.dataDir);
        for (const [what, f] of [
          ['GET /api/v1/tokens/:id (session Bearer)', http.tokenById],
          ['GET /api/v1/whoami (registry token Bearer)', http.whoamiWithToken],
        ] as const) {
          rows.push(
            { metric: `${what}, server on ${label}, log level warn`, value: f.requestsPerSecond, unit: 'req/s' },
            { metric: `${what}, server on ${label}: latency p50`, value: f.p50Ms, unit: 'ms' },
            { metric: `${what}, server on ${label}: latency p99`, value: f.p99Ms, unit: 'ms' },
          );
        }
      } finally {
        await served.drop();
      }
    }
    return rows;
  },
};
