import { setTimeout as sleep } from 'node:timers/promises';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectProcessMetrics } from './process-metrics.js';

const SAMPLE_MS = 20;

/** The value of each `nodejs_eventloop_lag_*` line of a scrape, by name. */
async function lagOf(registry: client.Registry): Promise<Record<string, number>> {
  const lines = (await registry.metrics()).split('\n').filter((line) => line.startsWith('nodejs_eventloop_lag_'));
  return Object.fromEntries(lines.map((line) => [line.split(' ')[0], Number(line.split(' ')[1])]));
}

function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('the event-loop delay metrics', () => {
  it("replace prom-client's under its names, beside its other process metrics, read the delay beyond the sampling period, and start afresh at each scrape", async () => {
    const registry = new client.Registry();
    collectProcessMetrics(registry, SAMPLE_MS);

    await sleep(10 * SAMPLE_MS);
    block(15 * SAMPLE_MS); // one stall of 300 ms
    await sleep(5 * SAMPLE_MS);
    const stalled = await lagOf(registry);
    expect(await registry.getSingleMetricAsString('process_cpu_seconds_total')).toContain('process_cpu_seconds_total');
    expect(Object.keys(stalled).sort()).toEqual(
      ['max', 'mean', 'min', 'p50', 'p90', 'p99', 'stddev', ''].map((s) => (s ? `nodejs_eventloop_lag_${s}_seconds` : 'nodejs_eventloop_lag_seconds')).sort(),
    );
    // The stall, less the period it fell in; Node's own histogram would read the whole interval.
    expect(stalled.nodejs_eventloop_lag_max_seconds).toBeGreaterThan(0.2);
    // An idle sample reads (nearly) no delay, not the sampling period.
    expect(stalled.nodejs_eventloop_lag_min_seconds).toBeLessThan(SAMPLE_MS / 1000 / 2);

    await sleep(10 * SAMPLE_MS);
    const after = await lagOf(registry);
    expect(after.nodejs_eventloop_lag_max_seconds).toBeLessThan(0.2); // the stall was the last period's
  });
});
