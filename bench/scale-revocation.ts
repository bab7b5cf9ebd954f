import { randomBytes } from 'node:crypto';
import { adminSession, postJson } from './api-calls.js';
import type { S3rverProcess } from '../test/support/s3rver-process.js';
import { spawnServer } from '../test/support/server-process.js';

export interface PropagationFigures {
  samples: number;
  medianMs: number;
  maxMs: number;
}

const SAMPLES = 20;

/**
 * Two replicas over one PostgreSQL database and one S3 store; a token is verified (and cached) on B, revoked
 * on A, and B is polled back to back until it refuses. The delay runs from A's answer to B's first refusal.
 * B's cache TTL is a minute, so only LISTEN/NOTIFY can explain a refusal within the measurement.
 */
export async function measureRevocationPropagation(databaseUrl: string, dataDir: string, s3: S3rverProcess): Promise<PropagationFigures> {
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const env = { ...s3.env('bench-replicas'), FLY_LOG_LEVEL: 'warn', FLY_TOKEN_CACHE_TTL_MS: '60000', FLY_AUTH_FAILURE_LIMIT: '1000000' };
  const a = await spawnServer({ databaseUrl, dataDir, admin, env });
  try {
    const b = await spawnServer({ databaseUrl, dataDir, admin, env });
    try {
      const session = await adminSession(a.url, admin);
      const delays: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const token = await session.createToken(`propagation ${i}`, 'read-only');
        if ((await whoamiStatus(b.url, token.token)) !== 200) throw new Error('replica B refused a fresh token');
        await postJson(`${a.url}/api/v1/tokens/${token.id}/revoke`, {}, session.sessionToken);
        const answeredAt = performance.now();
        while ((await whoamiStatus(b.url, token.token)) === 200) {
          if (performance.now() - answeredAt > 10_000) throw new Error('replica B still accepts a token revoked 10 s ago');
        }
        delays.push(performance.now() - answeredAt);
      }
      delays.sort((x, y) => x - y);
      return { samples: delays.length, medianMs: delays[Math.floor(delays.length / 2)] ?? NaN, maxMs: delays.at(-1) ?? NaN };
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
  }
}

async function whoamiStatus(url: string, secret: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
  await res.arrayBuffer();
  return res.status;
}
