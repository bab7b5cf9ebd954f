import cluster from 'node:cluster';
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { createCore, type Core, type CoreOptions } from '../core/core.js';
import type { BlobStore } from '../core/blob-store.js';
import { InProcessInvalidationBus, type InvalidationBus } from '../core/invalidation.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { cleanAbandonedUploads } from '../storage/blobs/clean-uploads.js';
import { openDatabase, type SqlDatabase } from '../storage/sql/database.js';
import { withLease } from '../storage/sql/lease.js';
import { SqlMetadataStore } from '../storage/sql/metadata-store.js';
import { migrateToLatest } from '../storage/sql/migrate.js';
import { PgInvalidationBus } from '../storage/sql/pg-invalidation-bus.js';
import { buildApp } from './app.js';
import { drainHttp } from './drain-http.js';
import { openConnections } from '../http/open-connections.js';
import type { Config } from './config.js';
import { createLogs } from './logger.js';
import { freePort } from './free-port.js';
import { openBlobStore } from './open-blob-store.js';
import { parseScanningKeys } from '../core/tokens/leak-reports.js';
import { smtpMailer } from './smtp-mailer.js';
import { repeatLimited } from './repeat-limited.js';
import { fetchWebhookTransport } from './webhook-transport.js';
import { WorkerChannel } from './workers/channel.js';
import { WorkerFailureCounts } from './workers/failure-counts.js';
import { WorkerInvalidationBus } from './workers/invalidation-bus.js';
import { startPrimary } from './workers/primary.js';

/** The sweeper looks four times per abandonment period, between once a second and every 15 minutes. */
const sweepIntervalMs = (abandonMs: number) => Math.min(15 * 60 * 1000, Math.max(1000, Math.floor(abandonMs / 4)));

export interface RunningServer {
  url: URL;
  close(): Promise<void>;
}

/**
 * `flyreg serve`: the server in this process when config.workers is 1; otherwise a primary process that
 * prepares the database once and runs config.workers workers (this same program, forked) on one port.
 */
export async function serve(config: Config, version: string): Promise<RunningServer> {
  if (config.workers <= 1) return startServer(config, version);
  if (cluster.isWorker) {
    // The primary picked the port when it was 0, so every worker listens on the same one.
    const port = Number(process.env.FLY_CLUSTER_PORT ?? config.port);
    return startServer({ ...config, port }, version, new WorkerChannel());
  }
  return startCluster(config);
}

/** The primary of a multi-worker server: migrations and the first admin once, then the workers. */
async function startCluster(config: Config): Promise<RunningServer> {
  const { logger, flush } = createLogs(config.logLevel);
  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const database = openDatabase(config.databaseUrl, { timeouts: { connectMs: config.databaseTimeoutMs } });
  try {
    await migrateToLatest(database);
    const store = new SqlMetadataStore(database);
    const core = createCore(store, coreOptions(config, await openBlobStore(config.blobs), new InProcessInvalidationBus(), config.publicUrl ?? new URL(`http://localhost:${port}`), logger));
    await bootstrapAdmin(database, core, config, logger);
    await core.stop();
  } finally {
    await database.close();
  }
  const primary = await startPrimary({ workers: config.workers, env: { FLY_CLUSTER_PORT: String(port) }, authFailureWindowMs: config.authFailures.windowMs, logger });
  const close = async () => {
    await primary.close();
    flush();
  };
  return { url: config.publicUrl ?? new URL(`http://localhost:${port}`), close };
}

/** The composition root: config → adapters → core → HTTP. Returns once the server is listening. */
export async function startServer(config: Config, version: string, worker?: WorkerChannel): Promise<RunningServer> {
  const { logger, access, flush } = createLogs(config.logLevel);
  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const publicUrl = config.publicUrl ?? new URL(`http://localhost:${port}`);
  mkdirSync(config.dataDir, { recursive: true });

  await migrate(config);
  const database = openDatabase(config.databaseUrl, {
    onConnectionError: (error) => logger.warn({ err: error }, 'PostgreSQL dropped an idle connection; the pool replaces it'),
    timeouts: { connectMs: config.databaseTimeoutMs, statementMs: config.databaseTimeoutMs },
  });
  const store = new SqlMetadataStore(database);
  const blobs = await openBlobStore(config.blobs);
  const ownBus = await openInvalidationBus(database, config.databaseUrl, config.databaseTimeoutMs, logger);
  // A worker also tells its siblings, through the primary; and counts failures with them.
  const invalidations = worker ? new WorkerInvalidationBus(ownBus, worker) : ownBus;
  const core = createCore(store, {
    ...coreOptions(config, blobs, invalidations, publicUrl, logger),
    failureCounts: worker ? new WorkerFailureCounts(config.authFailures.windowMs, worker) : undefined,
  });

  await bootstrapAdmin(database, core, config, logger);

  const app = await buildApp({ core, logger, access, publicUrl, trustProxy: config.trustProxy, version, npm: config.npm, http: config.http });
  // Already kept since the server was made (app.ts): the same set the socket timeout looks at.
  const connections = openConnections(app.server);
  await app.listen({ port, host: config.host });
  worker?.ready();
  logger.info({ port, publicUrl: publicUrl.href, database: database.engine, blobStore: config.blobs.kind, version }, 'listening');

  const notifying = startNotificationJobs(database, core, config, logger);

  // Upload sessions nobody has touched for FLY_UPLOAD_ABANDON_SECONDS are abandoned: reclaim their space, and
  // their rows, which count against their token's FLY_OCI_MAX_UPLOADS. One replica at a time.
  const sweep = async () => {
    for (const id of await cleanAbandonedUploads(blobs, config.uploadAbandonMs, new Date())) await store.oci.deleteUpload(id);
  };
  const sweeper = setInterval(() => {
    withLease(database, 'abandoned-uploads', sweep).catch((error: unknown) => logger.error({ err: error }, 'cleaning abandoned uploads failed'));
  }, sweepIntervalMs(config.uploadAbandonMs));
  sweeper.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      notifying.stop();
      await drainHttp(app, connections, config.http.shutdownTimeoutMs, logger);
      await core.stop();
      await invalidations.close();
      await store.close();
      flush();
    })());
  return { url: publicUrl, close };
}

/** Migrates on a connection of its own, where a statement may take as long as it needs (requests' have a bound). */
async function migrate(config: Config): Promise<void> {
  const database = openDatabase(config.databaseUrl, { timeouts: { connectMs: config.databaseTimeoutMs } });
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
}

function coreOptions(config: Config, blobs: BlobStore, invalidations: InvalidationBus, publicUrl: URL, logger: Logger): CoreOptions {
  return {
    protocols: PROTOCOLS,
    blobs,
    invalidations,
    publicUrl,
    sessionTtlMs: config.sessionTtlMs,
    npmWebLoginTtlMs: config.npmWebLoginTtlMs,
    oidcKeyCacheMs: config.oidcKeyCacheMs,
    tokenCacheTtlMs: config.tokenCacheTtlMs,
    bodyMemoryBytes: config.bodyMemoryBytes,
    tokenExpiryWarningMs: config.tokenExpiryWarningMs,
    authFailures: config.authFailures,
    usageFlushMs: 1000,
    pullFlushMs: config.pullFlushMs,
    notifications: {
      scanningKeys: config.notifications.secretScanningKeys === null ? null : parseScanningKeys(config.notifications.secretScanningKeys),
      mailer: config.notifications.smtp ? smtpMailer(config.notifications.smtp.url, config.notifications.smtp.from) : null,
      transport: fetchWebhookTransport,
      retryBaseMs: config.notifications.retryBaseMs,
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    },
    ociMaxUploadsPerCredential: config.ociMaxUploads,
    // While the database is down, the recorders' retries fail every few hundred ms: one line per cause and window.
    onBackgroundError: repeatLimited((line) => {
      if (line.kind === 'first') logger.error({ err: line.error }, 'background write failed');
      else logger.error({ err: line.error, repeats: line.count }, `background write failed ${line.count} more times in ${BACKGROUND_ERROR_WINDOW_MS / 1000} s (the last of them here)`);
    }, BACKGROUND_ERROR_WINDOW_MS),
  };
}

/** A background failure that repeats is logged once per cause in this long, with how many times it happened. */
const BACKGROUND_ERROR_WINDOW_MS = 30_000;

/** A failed delivery is tried this many times in all (with the default 30 s base: over about an hour). */
const WEBHOOK_MAX_ATTEMPTS = 8;

/**
 * The notification timers: fan out the outbox and send due deliveries, and look for tokens expiring soon or
 * expired. Each runs under a lease, so one replica (and one worker) does it at a time; deliveries are also
 * claimed row by row, so even two processes sharing a SQLite file never send one twice.
 */
function startNotificationJobs(database: SqlDatabase, core: Core, config: Config, logger: Logger): { stop(): void } {
  const { intervalMs, expiryCheckMs } = config.notifications;
  const run = (name: string, job: () => Promise<unknown>) => () => {
    withLease(database, name, job).catch((error: unknown) => logger.error({ err: error }, `${name} failed`));
  };
  const delivering = setInterval(run('notification-delivery', () => core.notifications.dispatcher.run()), intervalMs);
  const expiring = setInterval(
    run('token-expiry-notices', async () => {
      await core.notifications.expiry.run();
      await core.notifications.dispatcher.prune();
    }),
    expiryCheckMs,
  );
  delivering.unref();
  expiring.unref();
  return {
    stop: () => {
      clearInterval(delivering);
      clearInterval(expiring);
    },
  };
}

/**
 * Creates the first admin when there are no users. Under a lease: replicas starting together on an empty
 * database must not both create it (the one that finds the lease taken skips; the holder creates it).
 */
async function bootstrapAdmin(database: SqlDatabase, core: Core, config: Config, logger: Logger): Promise<void> {
  const bootstrap = await withLease(database, 'bootstrap-admin', () => core.users.bootstrapAdmin(config.admin));
  const admin = bootstrap.acquired ? bootstrap.value : null;
  if (admin?.generatedPassword) {
    // Printed once, on the console only (never to the JSON log), so the operator can log in.
    process.stdout.write(
      `\nCreated the first admin. Username: ${admin.username}  Password: ${admin.generatedPassword}\n` +
        'It is shown only this once: log in and keep it somewhere safe.\n\n',
    );
  } else if (admin) {
    logger.info({ username: admin.username }, 'created the first admin from FLY_ADMIN_USERNAME / FLY_ADMIN_PASSWORD');
  }
}

/**
 * On PostgreSQL, revocations travel between replicas by LISTEN/NOTIFY; the embedded SQLite mode is one
 * process, where the in-process bus is all there is.
 */
async function openInvalidationBus(
  database: ReturnType<typeof openDatabase>,
  databaseUrl: string,
  connectTimeoutMs: number,
  logger: Logger,
): Promise<InvalidationBus> {
  if (database.engine !== 'postgres') return new InProcessInvalidationBus();
  const bus = new PgInvalidationBus(database, {
    connectionString: databaseUrl,
    connectTimeoutMs,
    onError: (error) => logger.warn({ err: error }, 'cache invalidation listener lost its connection; reconnecting (token cache TTL applies meanwhile)'),
    onReconnected: () => logger.info('cache invalidation listener reconnected; token cache cleared'),
  });
  await bus.start();
  return bus;
}
