import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { create as createTar } from 'tar';
import { userPrincipal } from '../src/core/auth/principal.js';
import { saveChartEntries } from '../src/core/helm/chart-index.js';
import { packageChanged } from '../src/core/packages/package-views.js';
import type { MetadataStore } from '../src/core/ports.js';
import { protocolService } from '../src/protocols/kit/definition.js';
import { helmProtocol } from '../src/protocols/helm/definition.js';
import { openInProcessCore } from '../test/support/in-process-core.js';
import { adminSession } from './api-calls.js';
import { metadataGets } from './metadata-gets.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { privateDependencyBuilds, publishCrate, publishGoModule, put } from './private-dependencies.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const TARGET_INDEX_MS = 50;
const INDEX_VERSIONS = 5000;

async function bytesOf(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function publishChart(server: ServerProcess, authorization: string, work: string): Promise<void> {
  mkdirSync(join(work, 'benchchart'), { recursive: true });
  writeFileSync(join(work, 'benchchart', 'Chart.yaml'), 'apiVersion: v2\nname: benchchart\nversion: 1.0.0\n');
  const chart = await bytesOf(createTar({ gzip: true, cwd: work }, ['benchchart']) as unknown as AsyncIterable<Buffer>);
  await put(`${server.url}/helm/charts/benchchart-1.0.0.tgz`, authorization, chart);
}

/** Median of `runs` timings of `work`, in ms. */
async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

/**
 * index.yaml over 5,000 stored chart versions (50 charts × 100) in a real SQLite store, through core's
 * Charts: the cold render (a fresh process), the re-render after one push (only its chart is rendered
 * again), and a GET between writes (served from memory).
 */
async function indexTimings(databaseUrl: string): Promise<{ coldMs: number; afterPushMs: number; cachedMs: number }> {
  const { core, store, close } = await openInProcessCore(databaseUrl);
  try {
    const created = new Date('2026-01-01T00:00:00Z');
    const digest = `sha256:${'ab'.repeat(32)}` as const;
    const addVersion = async (tx: MetadataStore, name: string, version: string) => {
      const pkg = await tx.packages.ensure('helm', name, name, created);
      const chart = { apiVersion: 'v2', name, version, description: `The ${name} chart`, appVersion: '2.0.0', type: 'application' };
      const row = await tx.packages.insertVersion(pkg.id, version, JSON.stringify({ chart, digest: 'ab'.repeat(32), publishedBy: 'bench' }), created);
      await tx.packages.insertFile(pkg.id, row.id, { filename: `${name}-${version}.tgz`, blobDigest: digest, size: 1, metadata: '{}' }, created);
      return pkg.id;
    };
    // What every upload does after storing its version: a new revision, and the chart's entries stored with it.
    const changed = async (tx: MetadataStore, name: string, id: string) => {
      await packageChanged({ clock: core.clock, invalidations: core.invalidations }, tx, 'helm', name, id);
      await saveChartEntries(tx, 'helm', name);
    };
    await store.transaction(async (tx) => {
      for (let c = 0; c < 50; c++) {
        let id = '';
        for (let v = 0; v < INDEX_VERSIONS / 50; v++) id = await addVersion(tx, `chart-${c}`, `1.${v}.0`);
        await changed(tx, `chart-${c}`, id);
      }
    });
    const charts = await protocolService(core, helmProtocol);
    // A developer may pull every chart: the shared, unfiltered document (what an unscoped token gets).
    const reader = userPrincipal({ id: 'bench', username: 'bench', role: 'developer' }, null);
    let start = performance.now();
    await charts.index(reader);
    const coldMs = performance.now() - start;
    // Only the index() after each write is timed, not the write.
    const afterPush: number[] = [];
    for (let i = 0; i < 9; i++) {
      await store.transaction(async (tx) => {
        await changed(tx, 'chart-7', await addVersion(tx, 'chart-7', `2.${i}.0`));
      });
      start = performance.now();
      await charts.index(reader);
      afterPush.push(performance.now() - start);
    }
    const afterPushMs = afterPush.sort((x, y) => x - y)[4] as number;
    const cachedMs = await medianMs(101, () => charts.index(reader));
    return { coldMs, afterPushMs, cachedMs };
  } finally {
    await close();
  }
}

/**
 * Issue 17's figures: authenticated Go, Helm and Cargo index GETs/s on SQLite, index.yaml rendering time,
 * and cold go/cargo builds with 50 private dependencies beside the same files served statically.
 */
export const goHelmCargoSection: BenchSection = {
  name: 'go-helm-cargo',
  async run() {
    const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const database = await createScratchDatabase('sqlite', pgAdminUrl, 'flybench');
    const work = mkdtempSync(join(tmpdir(), 'flybench-ghc-'));
    const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
    // As `npm start` runs it (access log on, one process), with its output in a file rather than in memory.
    const server = await spawnServer({ databaseUrl: database.url, dataDir: database.dataDir, admin, logFile: join(work, 'server.log') });
    try {
      const session = await adminSession(server.url, admin);
      const writer = await session.createToken('bench publish', 'read-write');
      const reader = await session.createToken('bench resolve', 'read-only');
      const writeAuth = `Basic ${Buffer.from(`${writer.username}:${writer.token}`).toString('base64')}`;
      const readAuth = `Basic ${Buffer.from(`${reader.username}:${reader.token}`).toString('base64')}`;
      await publishGoModule(server, writeAuth, 'example.com/bench/greet');
      await publishCrate(server, writeAuth, work, 'bench-crate');
      await publishChart(server, writeAuth, work);
      const rows: BenchResult[] = [];
      const cases: [string, string, string][] = [
        ['Go @v/list', '/go/example.com/bench/greet/@v/list', readAuth],
        ['Go .info', '/go/example.com/bench/greet/@v/v1.0.0.info', readAuth],
        ['Helm index.yaml', '/helm/index.yaml', readAuth],
        ['Cargo sparse-index file', '/cargo/index/be/nc/bench-crate', reader.token],
      ];
      const data = { databaseUrl: database.url, dataDir: database.dataDir, admin };
      rows.push(...(await metadataGets(server, data, cases.map(([what, path, authorization]) => ({ what, path, headers: { authorization } })))));
      const index = await indexTimings(database.url.replace(/fly\.db$/, 'charts.db'));
      const versions = INDEX_VERSIONS.toLocaleString('en-US');
      rows.push({ metric: `index.yaml first render, ${versions} chart versions (cold process)`, value: index.coldMs, unit: 'ms', target: `< ${TARGET_INDEX_MS} ms`, ok: index.coldMs < TARGET_INDEX_MS });
      rows.push({ metric: `index.yaml after a push, ${versions} chart versions`, value: index.afterPushMs, unit: 'ms', target: `< ${TARGET_INDEX_MS} ms`, ok: index.afterPushMs < TARGET_INDEX_MS });
      rows.push({ metric: `index.yaml between writes, ${versions} chart versions`, value: index.cachedMs, unit: 'ms', target: `< ${TARGET_INDEX_MS} ms`, ok: index.cachedMs < TARGET_INDEX_MS });
      rows.push(...(await privateDependencyBuilds(server, writeAuth, reader, work)));
      return rows;
    } finally {
      await server.stop();
      await database.drop();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
