import { AuditLog } from './audit/audit-log.js';
import { Authenticator } from './auth/authenticate.js';
import type { FailureCounts } from './auth/failure-counts.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import { TokenCache } from './auth/token-cache.js';
import type { BlobStore } from './blob-store.js';
import { BodyMemory } from './body-memory.js';
import { systemClock, type Clock } from './clock.js';
import { DeploymentService } from './environments/deployment-service.js';
import { EnvironmentService } from './environments/environment-service.js';
import { PullRecorder } from './environments/pull-recorder.js';
import type { GenericFiles } from './generic/generic-files.js';
import { ShareLinks } from './share-links/share-links.js';
import { NpmRegistry } from './npm/npm-registry.js';
import { NpmWebLoginService } from './npm/web-login.js';
import { IdTokenVerifier } from './oidc/id-token-verifier.js';
import { OidcService } from './oidc/oidc-service.js';
import { InProcessInvalidationBus, type InvalidationBus } from './invalidation.js';
import { createOciRegistry } from './oci/registry.js';
import { ProtocolServices, type CoreProtocol } from './protocols.js';
import type { MetadataStore } from './ports.js';
import { PypiService } from './pypi/pypi-service.js';
import { PublicationService } from './releases/publications.js';
import { ReleaseService } from './releases/release-service.js';
import { ClientTokenService } from './tokens/client-tokens.js';
import { CredentialHelperService } from './tokens/credential-helper.js';
import { registryEndpoints, snippetTemplates } from './tokens/snippets.js';
import { TokenService } from './tokens/token-service.js';
import { UsageRecorder } from './tokens/usage-recorder.js';
import { TokenRotation } from './tokens/rotation.js';
import { DEFAULT_EXPIRY_WARNING_DAYS, expiryNotice, expiryWarningMs } from './tokens/expiry-warning.js';
import type { Principal } from './auth/principal.js';
import { SessionService } from './users/session-service.js';
import { NotificationDispatcher } from './notifications/dispatcher.js';
import { announcingDeployments } from './notifications/deployments.js';
import { ExpiryWatch } from './notifications/expiry-watch.js';
import type { Mailer, WebhookTransport } from './notifications/ports.js';
import { WebhookService } from './notifications/webhook-service.js';
import { LeakReportService, type ScanningKeys } from './tokens/leak-reports.js';
import { UserService, withSlash } from './users/user-service.js';
import { StorageHealth, storageWriteProbe } from './storage-health.js';

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
  /** How long before its expiry a token is "expiring soon" (default 7 days; tokens/expiry-warning.ts). */
  tokenExpiryWarningMs?: number;
  /** How long a CI issuer's discovery document and signing keys stay cached (default 10 minutes). */
  oidcKeyCacheMs?: number;
  authFailures: { max: number; windowMs: number };
  usageFlushMs: number;
  /**
   * How often queued pull events are written: a kill -9 loses the events acknowledged in the last interval
   * (a SIGTERM loses none: shutdown flushes). A flush with nothing queued costs nothing.
   */
  pullFlushMs?: number;
  /** Bytes of request bodies read whole held in memory at once (default 100 MiB; body-memory.ts). */
  bodyMemoryBytes?: number;
  /** Open OCI upload sessions one token (or login session) may hold at once (default 100). */
  ociMaxUploadsPerCredential?: number;
  /** How cache invalidations reach every replica; default: this process only (embedded SQLite). */
  invalidations?: InvalidationBus;
  /** Where the failure limiter counts; default: this process's memory (the workers of a server share theirs). */
  failureCounts?: FailureCounts;
  clock?: Clock;
  /** Leak reports, webhooks and email; default: no scanner keys, no SMTP, webhooks refused at delivery. */
  notifications?: NotificationOptions;
  onBackgroundError(error: unknown): void;
}

export interface NotificationOptions {
  /** Public keys secret scanners sign their reports with (null: the scanner endpoint refuses reports). */
  scanningKeys: ScanningKeys | null;
  /** Null when SMTP is not configured. */
  mailer: Mailer | null;
  transport: WebhookTransport;
  /** The first retry of a failed delivery waits this long; each next one twice as long. */
  retryBaseMs: number;
  maxAttempts: number;
}

const NO_NOTIFICATIONS: NotificationOptions = {
  scanningKeys: null,
  mailer: null,
  transport: { post: () => Promise.reject(new Error('this process sends no webhooks')) },
  retryBaseMs: 30_000,
  maxAttempts: 8,
};

/** Bounds how stale another replica's npm write can look in this process's packument cache. */
const NPM_PACKUMENT_CACHE_TTL_MS = 2000;
/** One npm publish of the largest default size (FLY_NPM_MAX_BODY_MB) at a time, or many smaller ones. */
const DEFAULT_BODY_MEMORY_BYTES = 100 * 1024 * 1024;

/**
 * Core's services wired over one metadata store. Built once by the server (or a benchmark). Every
 * protocol's core service is built here, the same way: from the store, the blob store and the clock.
 */
export function createCore(store: MetadataStore, options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const { protocols } = options;
  const cache = new TokenCache(options.tokenCacheTtlMs);
  const limiter = new FailureLimiter(options.authFailures.max, options.authFailures.windowMs, options.failureCounts);
  const usage = new UsageRecorder(store.tokens, { flushIntervalMs: options.usageFlushMs, onError: options.onBackgroundError }, store.tokenSecrets);
  const audit = new AuditLog(clock);
  // Told by every protocol's error answer of a full or read-only disk; /readyz then probes until writes work.
  const storageHealth = new StorageHealth(storageWriteProbe(store, options.blobs, clock));
  const oci = createOciRegistry({ store, blobs: options.blobs, clock, audit, maxUploadsPerCredential: options.ociMaxUploadsPerCredential ?? 100 });
  const authenticator = new Authenticator({ store, clock, cache, limiter, usage, derived: oci.bearer });
  const invalidations = options.invalidations ?? new InProcessInvalidationBus();
  // Every replica's cache forgets what any replica revoked, deleted or deactivated.
  const unsubscribe = invalidations.subscribe((event) => {
    if (event.kind === 'token') cache.invalidate(event.tokenId);
    else if (event.kind === 'all-tokens') cache.clear();
  });
  const expiryWarning = options.tokenExpiryWarningMs ?? expiryWarningMs(DEFAULT_EXPIRY_WARNING_DAYS);
  const tokensPage = new URL('tokens', withSlash(options.publicUrl));
  const tokens = new TokenService({ store, clock, cache, invalidations, audit, publicUrl: options.publicUrl, protocols, expiryWarningMs: expiryWarning });
  const environments = new EnvironmentService({ store, clock, audit, tokens });
  const notify = options.notifications ?? NO_NOTIFICATIONS;
  // Pull batches that start a new run also announce it (environment.deployed), in the same transaction.
  const pulls = new PullRecorder(announcingDeployments(store), {
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
  // Every protocol's service that its definition builds (one per process, the same deps for all).
  const services = new ProtocolServices(protocols, { store, blobs: options.blobs, clock, audit, invalidations, publications, publicUrl: options.publicUrl });
  return {
    store,
    blobs: options.blobs,
    storageHealth,
    bodyMemory: new BodyMemory(options.bodyMemoryBytes ?? DEFAULT_BODY_MEMORY_BYTES),
    oci,
    pypi: new PypiService({ store, blobs: options.blobs, clock, audit, publications }),
    services,
    shareLinks: new ShareLinks({ store, clock, audit, generic: () => services.of('generic') as Promise<GenericFiles>, publicUrl: options.publicUrl }),
    npm: new NpmRegistry({ store, blobs: options.blobs, clock, audit, publications, publicUrl: options.publicUrl, packumentCacheTtlMs: NPM_PACKUMENT_CACHE_TTL_MS }),
    publications,
    credentialHelper,
    clock,
    audit,
    authenticator,
    tokenCache: cache,
    /** Where clients reach this registry (public URL + URL layout). */
    endpoints: registryEndpoints(options.publicUrl, protocols),
    /** Every protocol's snippets with placeholders for the credential (GET /api/v1/endpoints). */
    snippetTemplates: snippetTemplates(options.publicUrl, protocols),
    protocols,
    usage,
    invalidations,
    tokens,
    tokenRotation: new TokenRotation({ store, clock, audit, invalidations, tokens }),
    /** The one-line notice a registry client shows when the credential a request used stops working soon (or null). */
    // Asked on every registry request: nothing is built unless the token has something to be told.
    expiryNotice: (principal: Principal): string | null => (principal.token ? expiryNotice(principal.token, clock.now(), expiryWarning, tokensPage) : null),
    environments,
    deployments: new DeploymentService({ store, environments }),
    releases: new ReleaseService({ store, clock, audit, protocols }),
    pulls,
    leaks: new LeakReportService({ tokens, limiter, clock, scanningKeys: notify.scanningKeys }),
    webhooks: new WebhookService({ store, clock, audit }),
    notifications: {
      dispatcher: new NotificationDispatcher({
        store,
        clock,
        transport: notify.transport,
        mailer: notify.mailer,
        publicUrl: options.publicUrl,
        retryBaseMs: notify.retryBaseMs,
        maxAttempts: notify.maxAttempts,
      }),
      expiry: new ExpiryWatch({ store, clock, audit, windowMs: expiryWarning }),
      /** Whether emails are sent (SMTP configured). */
      email: notify.mailer !== null,
    },
    users: new UserService({ store, clock, audit, cache, invalidations, publicUrl: options.publicUrl, mailer: notify.mailer }),
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
