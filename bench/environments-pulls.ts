import autocannon from 'autocannon';
import { createHash, randomBytes } from 'node:crypto';
import { adminSession, postJson } from './api-calls.js';
import { processCpuMicros } from './process-cpu.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

export interface PullFigures {
  /** Manifest GETs per second with a token of no environment, and with an environment token (recorded). */
  plain: number;
  environment: number;
  /** 1 − environment / plain, in percent: the median over alternating rounds. */
  costPercent: number;
  /** Extra server CPU per manifest GET with recording, in percent: the median over the same rounds (load-independent). */
  cpuCostPercent: number | undefined;
  /** Pulls the environment's timeline counted afterwards: shows the recording happened. */
  recordedDeployments: number;
}

const ROUND_SECONDS = 3;
const ROUNDS = 10;
const CONNECTIONS = 10;
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/**
 * Authenticated manifest GETs against a real server, a plain read-only token and an environment token back
 * to back in each round, which of them goes first alternating, so that changes in machine load hit both
 * alike; the cost is the median of the rounds' ratios.
 */
export async function measurePullRecording(databaseUrl: string, dataDir: string): Promise<PullFigures> {
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl, dataDir, admin, env: { FLY_LOG_LEVEL: 'warn', FLY_AUTH_FAILURE_LIMIT: '1000000' } });
  try {
    const session = await adminSession(server.url, admin);
    const writer = await session.createToken('push', 'read-write');
    const plain = await session.createToken('pull', 'read-only');
    const env = (await postJson<{ token: Token }>(`${server.url}/api/v1/environments`, { name: 'production', token: {} }, session.sessionToken)).token;
    await pushImage(server, basic(writer));

    const plainRuns: LoadRun[] = [];
    const envRuns: LoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        plainRuns.push(await manifestGets(server, basic(plain)));
        envRuns.push(await manifestGets(server, basic(env)));
      } else {
        envRuns.push(await manifestGets(server, basic(env)));
        plainRuns.push(await manifestGets(server, basic(plain)));
      }
    }
    const plainRates = plainRuns.map((r) => r.rate);
    const envRates = envRuns.map((r) => r.rate);
    const cpuCosts = plainRuns.flatMap((p, i) => {
      const e = envRuns[i];
      return p.cpuPerRequest && e?.cpuPerRequest ? [(e.cpuPerRequest / p.cpuPerRequest - 1) * 100] : [];
    });
    // Let the last batch land, then check it did.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const res = await fetch(`${server.url}/api/v1/environments/production/deployments`, { headers: { authorization: `Bearer ${session.sessionToken}` } });
    if (!res.ok) throw new Error(`timeline: ${res.status} ${await res.text()}`);
    const timeline = (await res.json()) as { deployments: { pullCount: number }[] };
    const costs = plainRates.map((p, i) => (1 - (envRates[i] ?? 0) / p) * 100);
    return {
      plain: median(plainRates),
      environment: median(envRates),
      costPercent: median(costs),
      cpuCostPercent: cpuCosts.length === ROUNDS ? median(cpuCosts) : undefined,
      recordedDeployments: timeline.deployments.length,
    };
  } finally {
    await server.stop();
  }
}

interface Token {
  username: string;
  token: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const basic = (t: Token) => `Basic ${Buffer.from(`${t.username}:${t.token}`).toString('base64')}`;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface LoadRun {
  rate: number;
  /** Server CPU time per request in µs, when /proc tells it. */
  cpuPerRequest: number | undefined;
}

async function manifestGets(server: ServerProcess, auth: string): Promise<LoadRun> {
  const cpuBefore = processCpuMicros(server.pid);
  const result = await autocannon({
    url: `${server.url}/v2/bench/app/manifests/v1`,
    connections: CONNECTIONS,
    duration: ROUND_SECONDS,
    headers: { authorization: auth, accept: MANIFEST_TYPE },
  });
  const cpuAfter = processCpuMicros(server.pid);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`manifest GETs: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  const cpuPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / result.requests.total : undefined;
  return { rate: result.requests.average, cpuPerRequest };
}

/** A one-layer image through the registry's own API: monolithic blob uploads, then the manifest. */
async function pushImage(server: ServerProcess, auth: string): Promise<void> {
  const layer = randomBytes(4096);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  for (const blob of [layer, config]) {
    const res = await fetch(`${server.url}/v2/bench/app/blobs/uploads/?digest=${sha256(blob)}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/octet-stream' },
      body: blob,
    });
    if (res.status !== 201) throw new Error(`blob upload: ${res.status} ${await res.text()}`);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
  });
  const res = await fetch(`${server.url}/v2/bench/app/manifests/v1`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': MANIFEST_TYPE },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`manifest push: ${res.status} ${await res.text()}`);
}
