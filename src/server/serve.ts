import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import { createCore } from '../core/core.js';
import { InProcessInvalidationBus, type InvalidationBus } from '../core/invalidation.js';
import { createOciRegistry } from '../core/oci/registry.js';
import { cleanAbandonedUploads } from '../storage/blobs/clean-uploads.js';
import { openDatabase } from '../storage/sql/database.js';
import { withLease } from '../storage/sql/lease.js';
import { SqlMetadataStore } from '../storage/sql/metadata-store.js';
import { migrateToLatest } from '../storage/sql/migrate.js';
import { PgInvalidationBus } from '../storage/sql/pg-invalidation-bus.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { freePort } from './free-port.js';
import { openBlobStore } from './open-blob-store.js';

/** The sweeper looks four times per abandonment period, between once a second and every 15 minutes. */
const sweepIntervalMs = (abandonMs: number) => Math.min(15 * 60 * 1000, Math.max(1000, Math.floor(abandonMs / 4)));

export interface RunningServer {
  url: URL;
  close(): Promise<void>;
}

/** The composition root: config → adapters → core → HTTP. Returns once the server is listening. */
export async function startServer(config: Config, version: string): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const publicUrl = config.publicUrl ?? new URL(`http://localhost:${port}`);
  mkdirSync(config.dataDir, { recursive: true });

  const database = openDatabase(config.databaseUrl, {
    onConnectionError: (error) => logger.warn({ err: error }, 'PostgreSQL dropped an idle connection; the pool replaces it'),
  });
  await migrateToLatest(database);
  const store = new SqlMetadataStore(database);
  const blobs = openBlobStore(config.blobs);
  const invalidations = await openInvalidationBus(database, config.databaseUrl, logger);
  const core = createCore(store, {
    blobs,
    invalidations,
    publicUrl,
    sessionTtlMs: config.sessionTtlMs,
    npmWebLoginTtlMs: config.npmWebLoginTtlMs,
    tokenCacheTtlMs: config.tokenCacheTtlMs,
    authFailures: config.authFailures,
    usageFlushMs: 1000,
    pullFlushMs: config.pullFlushMs,
    onBackgroundError: (error) => logger.error({ err: error }, 'background write failed'),
  });

  const registry = await createOciRegistry({ store, blobs: core.blobs, clock: core.clock, audit: core.audit });

  // Under a lease: replicas starting together on an empty database must not both create the admin (the one
  // that finds the lease taken skips; the holder creates it).
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

  const draining = { value: false };
  const app = await buildApp({ core, registry, logger, publicUrl, trustProxy: config.trustProxy, version, npm: config.npm, http: config.http, draining });
  await app.listen({ port, host: config.host });
  logger.info({ port, publicUrl: publicUrl.href, database: database.engine, blobStore: config.blobs.kind, version }, 'listening');

  // Upload sessions nobody has touched for FLY_UPLOAD_ABANDON_SECONDS are abandoned: reclaim their space.
  // One replica at a time.
  const sweeper = setInterval(() => {
    withLease(database, 'abandoned-uploads', () => cleanAbandonedUploads(blobs, config.uploadAbandonMs, new Date())).catch((error: unknown) =>
      logger.error({ err: error }, 'cleaning abandoned uploads failed'),
    );
  }, sweepIntervalMs(config.uploadAbandonMs));
  sweeper.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      await drainHttp(app, draining, config.http.shutdownTimeoutMs, logger);
      await core.stop();
      await invalidations.close();
      await store.close();
    })());
  return { url: publicUrl, close };
}

/**
 * Stops taking requests and lets those in flight finish within the deadline: idle keep-alive connections
 * are closed at once (and again as requests finish, each answer also saying `Connection: close`), and
 * whatever is still open at the deadline is cut, so the pull events and usage stamps can be flushed
 * well inside the orchestrator's grace period.
 */
async function drainHttp(app: FastifyInstance, draining: { value: boolean }, deadlineMs: number, logger: ReturnType<typeof createLogger>): Promise<void> {
  draining.value = true;
  const closed = app.close();
  app.server.closeIdleConnections();
  const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    logger.warn({ deadlineMs }, 'shutdown deadline reached: closing connections of requests still in flight');
    app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(deadline);
  }
}

/**
 * On PostgreSQL, revocations travel between replicas by LISTEN/NOTIFY; the embedded SQLite mode is one
 * process, where the in-process bus is all there is.
 */
async function openInvalidationBus(
  database: ReturnType<typeof openDatabase>,
  databaseUrl: string,
  logger: ReturnType<typeof createLogger>,
): Promise<InvalidationBus> {
  if (database.engine !== 'postgres') return new InProcessInvalidationBus();
  const bus = new PgInvalidationBus(database, {
    connectionString: databaseUrl,
    onError: (error) => logger.warn({ err: error }, 'cache invalidation listener lost its connection; reconnecting (token cache TTL applies meanwhile)'),
    onReconnected: () => logger.info('cache invalidation listener reconnected; token cache cleared'),
  });
  await bus.start();
  return bus;
}
