import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Credential, RequestContext } from '../src/core/auth/principal.js';
import type { Token } from '../src/core/model.js';
import type { Core } from '../src/core/core.js';
import { generateSecret, hashSecret } from '../src/core/tokens/secret.js';
import { openInProcessCore } from '../test/support/in-process-core.js';

export interface AuthCoreFigures {
  tokens: number;
  /** Mean cost of one authenticate() call, in microseconds. */
  cachedUs: number;
  uncachedUs: number;
}

/** Tokens with a known secret, spread evenly through the table, that the measurements authenticate with. */
const PROBES_PER_STAGE = 1000;
const CACHED_BUDGET_MS = 1000;
const UNCACHED_BUDGET_MS = 1500;
const CONTEXT: RequestContext = { ip: '127.0.0.1', userAgent: 'flyreg-bench' };

/**
 * Token verification through core's Authenticator, in process, over a real metadata store: the table is
 * filled to each size in `stages` (bulk inserts), then authenticate() is timed with the cache warm
 * (the steady state) and with it cleared before every call (one indexed lookup each).
 */
export async function measureAuthCore(databaseUrl: string, stages: number[]): Promise<AuthCoreFigures[]> {
  const { core, store, close } = await openInProcessCore(databaseUrl, {
    tokenCacheTtlMs: 60_000,
    // Usage stamps are flushed once, at stop(), so no background write lands inside a measurement.
    usageFlushMs: 3600_000,
  });
  try {
    const creatorId = randomUUID();
    await store.users.insert({
      id: creatorId,
      username: 'bench',
      email: 'bench@localhost',
      name: null,
      role: 'admin',
      status: 'active',
      passwordHash: null,
      createdAt: new Date(),
      lastLoginAt: null,
    });
    const probes: Credential[] = [];
    let inserted = 0;
    const figures: AuthCoreFigures[] = [];
    for (const size of stages) {
      const rows = tokenRows(size - inserted, creatorId, inserted, PROBES_PER_STAGE);
      await store.tokens.insertMany(rows.map((r) => r.token));
      for (const r of rows) if (r.secret) probes.push({ kind: 'bearer', secret: r.secret });
      inserted = size;
      const uncachedUs = await timePerCall(core, probes, UNCACHED_BUDGET_MS, true);
      const cachedUs = await timePerCall(core, probes, CACHED_BUDGET_MS, false);
      figures.push({ tokens: size, cachedUs, uncachedUs });
    }
    return figures;
  } finally {
    await close();
  }
}

/** `count` token rows; about `probes` of them, evenly spread, carry a real secret the bench knows. */
function tokenRows(count: number, createdBy: string, offset: number, probes: number): { token: Token; secret?: string }[] {
  const every = Math.max(1, Math.floor(count / probes));
  const now = new Date();
  const rows: { token: Token; secret?: string }[] = [];
  for (let i = 0; i < count; i++) {
    const secret = i % every === 0 ? generateSecret('token') : undefined;
    const n = offset + i;
    rows.push({
      secret,
      token: {
        id: randomUUID(),
        name: `bench ${n}`,
        username: `bench-${n}`,
        permission: n % 2 === 0 ? 'read-only' : 'read-write',
        createdBy,
        createdAt: now,
        expiresAt: null,
        revokedAt: null,
        revokedBy: null,
        environmentId: null,
        // Filler rows get a random hash: nobody knows a secret for them, as for real tokens.
        secretHash: secret ? hashSecret(secret) : randomBytes(32).toString('hex'),
        lastUsedAt: null,
        lastUsedIp: null,
        lastUsedClient: null,
        useCount: 0,
      },
    });
  }
  return rows;
}

/** Mean microseconds per authenticate() over a time budget (after a short warm-up), cycling through the probes. */
async function timePerCall(core: Core, probes: Credential[], budgetMs: number, uncached: boolean): Promise<number> {
  const run = async (ms: number) => {
    let calls = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      // Batches of 100 between clock reads keep the timer out of the figure.
      for (let i = 0; i < 100; i++, calls++) {
        if (uncached) core.tokenCache.clear();
        await core.authenticator.authenticate(probes[calls % probes.length] as Credential, CONTEXT);
      }
      elapsed = performance.now() - started;
    }
    return (elapsed * 1000) / calls;
  };
  await run(Math.min(200, budgetMs / 5));
  return run(budgetMs);
}
