import autocannon from 'autocannon';
import { adminSession } from './api-calls.js';
import { randomBytes } from 'node:crypto';
import { spawnServer } from '../test/support/server-process.js';

export interface HttpFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface AuthHttpFigures {
  /** GET /api/v1/tokens/:id with `Authorization: Bearer <session token>` (the management API). */
  tokenById: HttpFigures;
  /** GET /api/v1/whoami with `Authorization: Bearer <registry token>` (the path every protocol takes). */
  whoamiWithToken: HttpFigures;
}

const DURATION_SECONDS = 8;
const CONNECTIONS = 10;

/** Authenticated requests per second against a real `flyreg serve` process, logging at warn. */
export async function measureAuthHttp(databaseUrl: string, dataDir: string): Promise<AuthHttpFigures> {
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({
    databaseUrl,
    dataDir,
    admin,
    env: { FLY_LOG_LEVEL: 'warn', FLY_AUTH_FAILURE_LIMIT: '1000000' },
  });
  try {
    const session = await adminSession(server.url, admin);
    const token = await session.createToken('bench', 'read-only');
    return {
      tokenById: await hammer(`${server.url}/api/v1/tokens/${token.id}`, session.sessionToken),
      whoamiWithToken: await hammer(`${server.url}/api/v1/whoami`, token.token),
    };
  } finally {
    await server.stop();
  }
}

async function hammer(url: string, bearer: string): Promise<HttpFigures> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${bearer}` },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}
