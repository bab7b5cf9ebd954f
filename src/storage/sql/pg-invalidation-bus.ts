import { sql } from 'kysely';
import pg from 'pg';
import { parseInvalidation, type CacheInvalidation, type InvalidationBus } from '../../core/invalidation.js';
import type { MetadataStore } from '../../core/ports.js';
import type { SqlDatabase } from './database.js';
import { SqlMetadataStore } from './metadata-store.js';

/** The one channel every replica listens on. */
export const INVALIDATION_CHANNEL = 'fly_cache_invalidation';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

export interface PgInvalidationBusOptions {
  /** The database URL: the listener is its own long-lived connection, outside the pool. */
  connectionString: string;
  /** How long opening it may take (undefined: as long as the connection attempt takes). */
  connectTimeoutMs?: number;
  /** The listening connection failed (it is re-established on its own). */
  onError(error: unknown): void;
  /** The listening connection is back after a drop. */
  onReconnected?(): void;
}

/**
 * Cache invalidation between replicas through PostgreSQL LISTEN/NOTIFY. `publish` runs
 * `pg_notify(channel, event)` on the caller's transaction, so PostgreSQL sends it exactly when that
 * transaction commits (and never if it rolls back). Each replica holds one dedicated connection LISTENing
 * on the channel; when it drops, the bus reconnects with backoff and, since events may have been missed
 * meanwhile, tells its subscribers to forget every cached token.
 */
export class PgInvalidationBus implements InvalidationBus {
  private readonly handlers = new Set<(event: CacheInvalidation) => void>();
  private listener: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private closed = false;

  constructor(
    private readonly database: SqlDatabase,
    private readonly options: PgInvalidationBusOptions,
  ) {}

  /** Opens the listening connection; resolves once LISTEN is in place. */
  async start(): Promise<void> {
    await this.listen();
  }

  async publish(event: CacheInvalidation, tx?: MetadataStore): Promise<void> {
    // Inside a transaction, the NOTIFY must travel on that transaction's connection to be part of it.
    const executor = tx instanceof SqlMetadataStore ? tx.db : this.database.db;
    await sql`select pg_notify(${INVALIDATION_CHANNEL}, ${JSON.stringify(event)})`.execute(executor);
  }

  subscribe(handler: (event: CacheInvalidation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.handlers.clear();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** True while the listening connection is up (for diagnostics). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  private async listen(): Promise<void> {
    // Keep-alive: a listener whose peer vanished silently is noticed and replaced (the token cache TTL
    // bounds what it misses meanwhile).
    const client = new pg.Client({ connectionString: this.options.connectionString, connectionTimeoutMillis: this.options.connectTimeoutMs, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel !== INVALIDATION_CHANNEL || !message.payload) return;
      const event = parseInvalidation(message.payload);
      if (event) this.deliver(event);
    });
    client.on('error', (error) => {
      this.options.onError(error);
      this.dropped(client);
    });
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private dropped(client: pg.Client): void {
    if (this.closed || this.listener !== client) return; // a failed attempt, or an old connection
    this.listener = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.listen().then(
        () => {
          if (this.closed) return;
          this.retryMs = FIRST_RETRY_MS;
          // Whatever was announced while we were away is lost: forget everything cached instead.
          this.deliver({ kind: 'all-tokens' });
          this.options.onReconnected?.();
        },
        (error: unknown) => {
          this.options.onError(error);
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private deliver(event: CacheInvalidation): void {
    for (const handler of this.handlers) handler(event);
  }
}
