import { monitorEventLoopDelay } from 'node:perf_hooks';
import client from 'prom-client';

/** prom-client's names for the statistics of its sampled event-loop delay, and what each reads from a histogram. */
const STATISTICS = {
  nodejs_eventloop_lag_min_seconds: { help: 'The minimum recorded event loop delay.', read: (h: Histogram) => h.min },
  nodejs_eventloop_lag_max_seconds: { help: 'The maximum recorded event loop delay.', read: (h: Histogram) => h.max },
  nodejs_eventloop_lag_mean_seconds: { help: 'The mean of the recorded event loop delays.', read: (h: Histogram) => h.mean },
  nodejs_eventloop_lag_p50_seconds: { help: 'The 50th percentile of the recorded event loop delays.', read: (h: Histogram) => h.percentile(50) },
  nodejs_eventloop_lag_p90_seconds: { help: 'The 90th percentile of the recorded event loop delays.', read: (h: Histogram) => h.percentile(90) },
  nodejs_eventloop_lag_p99_seconds: { help: 'The 99th percentile of the recorded event loop delays.', read: (h: Histogram) => h.percentile(99) },
} as const;
const STDDEV = 'nodejs_eventloop_lag_stddev_seconds';

type Histogram = ReturnType<typeof monitorEventLoopDelay>;

/** prom-client's own sampling period, which this module replaces: one that never comes (2^31 − 1 ms). */
const PROM_CLIENT_NEVER_MS = 2 ** 31 - 1;

/**
 * prom-client's default process metrics in `registry`, with the event loop's delay under its names
 * (`nodejs_eventloop_lag_min_seconds`, `…_p99_seconds`…) sampled every `sampleMs` instead, as the delay
 * beyond each sample's schedule: an idle loop reads 0.
 *
 * prom-client samples with Node's monitorEventLoopDelay every 10 ms, which wakes every process 100 times a
 * second, busy or not; on a 2-core machine, four idle server processes waking that often slowed a busy one
 * by a fifth (issue 21's notes). And Node's histogram records the time between samples, schedule included,
 * so those gauges never read below the sampling period: sampled less often, they would read 0.1 s on an
 * idle loop. So prom-client's sampler is given a period that never comes, and these gauges replace its own.
 * A stall longer than `sampleMs` is always seen; a shorter one, in proportion to its length.
 */
export function collectProcessMetrics(registry: client.Registry, sampleMs: number): void {
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: PROM_CLIENT_NEVER_MS });
  const histogram = monitorEventLoopDelay({ resolution: sampleMs });
  histogram.enable();
  const scheduleNs = sampleMs * 1e6;
  const seconds = (ns: number) => Math.max(0, ns - scheduleNs) / 1e9;
  const gauges: [client.Gauge, (h: Histogram) => number][] = [];
  registry.removeSingleMetric(STDDEV);
  // Registered first: a scrape reads the gauges in order, and this one's collect sets every statistic, then
  // starts the next period's histogram (as prom-client's does).
  new client.Gauge({
    name: STDDEV,
    help: 'The standard deviation of the recorded event loop delays.',
    registers: [registry],
    collect() {
      const sampled = histogram.count > 0;
      this.set(sampled ? histogram.stddev / 1e9 : 0);
      for (const [gauge, read] of gauges) gauge.set(sampled ? seconds(read(histogram)) : 0);
      histogram.reset();
    },
  });
  for (const [name, { help, read }] of Object.entries(STATISTICS)) {
    registry.removeSingleMetric(name);
    gauges.push([new client.Gauge({ name, help, registers: [registry] }), read]);
  }
}
