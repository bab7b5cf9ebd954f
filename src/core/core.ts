import { AuditLog } from './audit/audit-log.js';
import { Authenticator } from './auth/authenticate.js';
import type { FailureCounts } from './auth/failure-counts.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import { GoModules } from './go/go-modules.js';
import { Crates } from './cargo/crates.js';
import { Charts } from './helm/charts.js';
import { TokenCache } from './auth/token-cache.js';
import type { BlobStore } from './blob-store.js';
import { systemClock, type Clock } from './clock.js';
import { DeploymentService } from './environments/deployment-service.js';
import { EnvironmentService } from './environments/environment-service.js';
import { PullRecorder } from './environments/pull-recorder.js';
import { GenericFiles } from './generic/generic-files.js';
import { ShareLinks } from './share-links/share-links.js';
import { MavenRepository } from './maven/maven-repository.js';
import { NpmRegistry } from './npm/npm-registry.js';
import { NpmWebLoginService } from './npm/web-login.js';
import { IdTokenVerifier } from './oidc/id-token-verifier.js';
import { OidcService } from './oidc/oidc-service.js';
import { InProcessInvalidationBus, type InvalidationBus } from './invalidation.js';
import { createOciRegistry } from './oci/registry.js';
import type { CoreProtocol } from './protocols.js';
import type { MetadataStore } from './ports.js';
import { PypiService } from './pypi/pypi-service.js';
import { PublicationService } from './releases/publications.js';
import { ReleaseService } from './releases/release-service.js';
import { ClientTokenService } from './tokens/client-tokens.js';
import { CredentialHelperService } from './tokens/credential-helper.js';
import { registryEndpoints } from './tokens/snippets.js';
import { TokenService } from './tokens/token-service.js';
import { UsageRecorder } from './tokens/usage-recorder.js';
import { SessionService } from './users/session-service.js';
import { UserService } from './users/user-service.js';

export interface CoreOptions {
  /** The protocol registry's entries (src/protocols/registry.ts): endpoints, token snippets, release artifacts. */
  protocols: readonly CoreProtocol[];
  /** The content-addressed blob store every protocol shares. */
  blobs: BlobStore;
  publicUrl: URL;
  sessionTtlMs: number;
  /** How long an `npm login --auth-type=web` request waits for approval (default 10 minutes). */
  npmWebLoginTtlMs?: number;
  tokenCacheTtlMs: number;
  /** How long a CI issuer's discovery document and signing keys stay cached (default 10 minutes). */
  oidcKeyCacheMs?: number;
  authFailures: { max: number; windowMs: number };
  usageFlushMs: number;
  /**
   * How often queued pull events are written: a kill -9 loses the events acknowledged in the last interval
   * (a SIGTERM loses none: shutdown flushes). A flush with nothing queued costs nothing.
   */
  pullFlushMs?: number;
  /** How cache invalidations reach every replica; default: this process only (embedded SQLite). */
  invalidations?: InvalidationBus;
  /** Where the failure limiter counts; default: this process's memory (the workers of a server share theirs). */
  failureCounts?: FailureCounts;
  clock?: Clock;
  onBackgroundError(error: unknown): void;
}

/** Bounds how stale another replica's npm write can look in this process's packument cache. */
const NPM_PACKUMENT_CACHE_TTL_MS = 2000;

/**
 * Core's services wired over one metadata store. Built once by the server (or a benchmark). Every
 * protocol's core service is built here, the same way: from the store, the blob store and the clock.
 */
export function createCore(store: MetadataStore, options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const { protocols } = options;
  const cache = new TokenCache(options.tokenCacheTtlMs);
  const limiter = new FailureLimiter(options.authFailures.max, options.authFailures.windowMs, options.failureCounts);
  const usage = new UsageRecorder(store.tokens, { flushIntervalMs: options.usageFlushMs, onError: options.onBackgroundError });
  const audit = new AuditLog(clock);
  const oci = createOciRegistry({ store, blobs: options.blobs, clock, audit });
  const authenticator = new Authenticator({ store, clock, cache, limiter, usage, derived: oci.bearer });
  const invalidations = options.invalidations ?? new InProcessInvalidationBus();
  // Every replica's cache forgets what any replica revoked, deleted or deactivated.
  const unsubscribe = invalidations.subscribe((event) => (event.kind === 'token' ? cache.invalidate(event.tokenId) : cache.clear()));
  const tokens = new TokenService({ store, clock, cache, invalidations, audit, publicUrl: options.publicUrl, protocols });
  const environments = new EnvironmentService({ store, clock, audit, tokens });
  const pulls = new PullRecorder(store.deployments, {
    clock,
    flushIntervalMs: options.pullFlushMs ?? 250,
    batchSize: 5000,
    maxQueued: 200_000,
    parentLookup: (images) => store.deployments.indexesListing(images),
    onError: options.onBackgroundError,
  });
  const credentialHelper = new CredentialHelperService({ store, clock, audit, tokens, invalidations });
  const sessions = new SessionService({ store, clock, audit, authenticator, credentialHelper, sessionTtlMs: options.sessionTtlMs });
  const clientTokens = new ClientTokenService({ tokens, sessions, store, audit, clock });
  // Every protocol calls this once an artifact is stored: who published it, and a CI run's automatic release.
  const publications = new PublicationService({ store, clock, audit, onError: options.onBackgroundError });
  const verifier = new IdTokenVerifier({ clock, keyCacheMs: options.oidcKeyCacheMs ?? 600_000, fetchTimeoutMs: 5000 });
  const generic = new GenericFiles({ store, blobs: options.blobs, clock, audit, publications });
  return {
    store,
    blobs: options.blobs,
    oci,
    pypi: new PypiService({ store, blobs: options.blobs, clock, audit, publications }),
    maven: new MavenRepository({ store, blobs: options.blobs, clock, audit, publications }),
    generic,
    shareLinks: new ShareLinks({ store, clock, audit, generic, publicUrl: options.publicUrl }),
    go: new GoModules({ store, blobs: options.blobs, clock, audit, publications }),
    cargo: new Crates({ store, blobs: options.blobs, clock, audit, publications }),
    helm: new Charts({ store, blobs: options.blobs, clock, audit, publications }),
    npm: new NpmRegistry({ store, blobs: options.blobs, clock, audit, publications, publicUrl: options.publicUrl, packumentCacheTtlMs: NPM_PACKUMENT_CACHE_TTL_MS }),
    publications,
    credentialHelper,
    clock,
    audit,
    authenticator,
    tokenCache: cache,
    /** Where clients reach this registry (public URL + URL layout). */
    endpoints: registryEndpoints(options.publicUrl, protocols),
    protocols,
    usage,
    invalidations,
    tokens,
    environments,
    deployments: new DeploymentService({ store, environments }),
    releases: new ReleaseService({ store, clock, audit, protocols }),
    pulls,
    users: new UserService({ store, clock, audit, cache, invalidations, publicUrl: options.publicUrl }),
    sessions,
    clientTokens,
    oidc: new OidcService({ store, clock, audit, authenticator, tokens, verifier }),
    npmWebLogins: new NpmWebLoginService({
      store,
      clock,
      audit,
      authenticator,
      clientTokens,
      sessions,
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
