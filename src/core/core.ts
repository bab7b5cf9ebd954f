import { AuditLog } from './audit/audit-log.js';
import { Authenticator } from './auth/authenticate.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import { TokenCache } from './auth/token-cache.js';
import type { BlobStore } from './blob-store.js';
import { systemClock, type Clock } from './clock.js';
import { DeploymentService } from './environments/deployment-service.js';
import { EnvironmentService } from './environments/environment-service.js';
import { PullRecorder } from './environments/pull-recorder.js';
import { NpmRegistry } from './npm/npm-registry.js';
import { NpmWebLoginService } from './npm/web-login.js';
import { InProcessInvalidationBus, type InvalidationBus } from './invalidation.js';
import type { MetadataStore } from './ports.js';
import { PypiService } from './pypi/pypi-service.js';
import { ReleaseService } from './releases/release-service.js';
import { ClientTokenService } from './tokens/client-tokens.js';
import { registryEndpoints } from './tokens/snippets.js';
import { TokenService } from './tokens/token-service.js';
import { UsageRecorder } from './tokens/usage-recorder.js';
import { SessionService } from './users/session-service.js';
import { UserService } from './users/user-service.js';

export interface CoreOptions {
  /** The content-addressed blob store every protocol shares. */
  blobs: BlobStore;
  publicUrl: URL;
  sessionTtlMs: number;
  /** How long an `npm login --auth-type=web` request waits for approval (default 10 minutes). */
  npmWebLoginTtlMs?: number;
  tokenCacheTtlMs: number;
  authFailures: { max: number; windowMs: number };
  usageFlushMs: number;
  /**
   * How often queued pull events are written: a kill -9 loses the events acknowledged in the last interval
   * (a SIGTERM loses none: shutdown flushes). A flush with nothing queued costs nothing.
   */
  pullFlushMs?: number;
  /** How cache invalidations reach every replica; default: this process only (embedded SQLite). */
  invalidations?: InvalidationBus;
  clock?: Clock;
  onBackgroundError(error: unknown): void;
}

/** Bounds how stale another replica's npm write can look in this process's packument cache. */
const NPM_PACKUMENT_CACHE_TTL_MS = 2000;

/** Core's services wired over one metadata store. Built once by the server (or a benchmark). */
export function createCore(store: MetadataStore, options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const cache = new TokenCache(options.tokenCacheTtlMs);
  const limiter = new FailureLimiter(options.authFailures.max, options.authFailures.windowMs);
  const usage = new UsageRecorder(store.tokens, { flushIntervalMs: options.usageFlushMs, onError: options.onBackgroundError });
  const audit = new AuditLog(clock);
  const authenticator = new Authenticator({ store, clock, cache, limiter, usage });
  const invalidations = options.invalidations ?? new InProcessInvalidationBus();
  // Every replica's cache forgets what any replica revoked, deleted or deactivated.
  const unsubscribe = invalidations.subscribe((event) => (event.kind === 'token' ? cache.invalidate(event.tokenId) : cache.clear()));
  const tokens = new TokenService({ store, clock, cache, invalidations, audit, publicUrl: options.publicUrl });
  const environments = new EnvironmentService({ store, clock, audit, tokens });
  const pulls = new PullRecorder(store.deployments, {
    clock,
    flushIntervalMs: options.pullFlushMs ?? 250,
    batchSize: 5000,
    maxQueued: 200_000,
    parentLookup: (images) => store.deployments.indexesListing(images),
    onError: options.onBackgroundError,
  });
  const sessions = new SessionService({ store, clock, audit, authenticator, sessionTtlMs: options.sessionTtlMs });
  const clientTokens = new ClientTokenService({ tokens, sessions, store, audit, clock });
  return {
    store,
    blobs: options.blobs,
    pypi: new PypiService({ store, blobs: options.blobs, clock, audit }),
    npm: new NpmRegistry({ store, blobs: options.blobs, clock, audit, publicUrl: options.publicUrl, packumentCacheTtlMs: NPM_PACKUMENT_CACHE_TTL_MS }),
    clock,
    audit,
    authenticator,
    tokenCache: cache,
    /** Where clients reach this registry (public URL + URL layout). */
    endpoints: registryEndpoints(options.publicUrl),
    usage,
    invalidations,
    tokens,
    environments,
    deployments: new DeploymentService({ store, environments }),
    releases: new ReleaseService({ store, clock, audit }),
    pulls,
    users: new UserService({ store, clock, audit, cache, invalidations, publicUrl: options.publicUrl }),
    sessions,
    clientTokens,
    npmWebLogins: new NpmWebLoginService({
      store,
      clock,
      audit,
      authenticator,
      clientTokens,
      publicUrl: options.publicUrl,
      ttlMs: options.npmWebLoginTtlMs ?? 10 * 60 * 1000,
    }),
    async stop(): Promise<void> {
      unsubscribe();
      await pulls.stop();
      await usage.stop();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
