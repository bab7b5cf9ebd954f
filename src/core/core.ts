import { AuditLog } from './audit/audit-log.js';
import { Authenticator } from './auth/authenticate.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import { TokenCache } from './auth/token-cache.js';
import type { BlobStore } from './blob-store.js';
import { systemClock, type Clock } from './clock.js';
import { InProcessInvalidationBus, type InvalidationBus } from './invalidation.js';
import type { MetadataStore } from './ports.js';
import { PypiService } from './pypi/pypi-service.js';
import { TokenService } from './tokens/token-service.js';
import { UsageRecorder } from './tokens/usage-recorder.js';
import { SessionService } from './users/session-service.js';
import { UserService } from './users/user-service.js';

export interface CoreOptions {
  /** The content-addressed blob store every protocol shares. */
  blobs: BlobStore;
  publicUrl: URL;
  sessionTtlMs: number;
  tokenCacheTtlMs: number;
  authFailures: { max: number; windowMs: number };
  usageFlushMs: number;
  /** How cache invalidations reach every replica; default: this process only (embedded SQLite). */
  invalidations?: InvalidationBus;
  clock?: Clock;
  onBackgroundError(error: unknown): void;
}

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
  return {
    store,
    blobs: options.blobs,
    pypi: new PypiService({ store, blobs: options.blobs, clock }),
    clock,
    audit,
    authenticator,
    tokenCache: cache,
    usage,
    invalidations,
    tokens: new TokenService({ store, clock, cache, invalidations, audit, publicUrl: options.publicUrl }),
    users: new UserService({ store, clock, audit, cache, invalidations, publicUrl: options.publicUrl }),
    sessions: new SessionService({ store, clock, audit, authenticator, sessionTtlMs: options.sessionTtlMs }),
    async stop(): Promise<void> {
      unsubscribe();
      await usage.stop();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
