import type { MetadataStore } from './ports.js';

/**
 * What every replica must forget when one of them changes it. Token records are cached in each process
 * (auth/token-cache.ts); these events make a revocation on one replica hold on all of them at once. Rendered
 * package views (packages/package-views.ts) are dropped the same way when a package changes.
 */
export type CacheInvalidation =
  /** A token was revoked or deleted. */
  | { kind: 'token'; tokenId: string }
  /** A user's status or role changed: any cached token record may carry the old creator status or role. */
  | { kind: 'all-tokens' }
  /** A package of the package model changed (published, deleted, yanked): its rendered views are stale. */
  | { kind: 'package'; repository: string; name: string };

/**
 * Carries cache invalidations to every replica, this one included. Implementations: InProcessInvalidationBus
 * below (embedded SQLite: one process) and storage/sql/pg-invalidation-bus.ts (PostgreSQL LISTEN/NOTIFY).
 * Delivery is best effort by design: each cache also expires entries after a short TTL, the fallback when
 * a replica missed an event.
 */
export interface InvalidationBus {
  /**
   * Announces an invalidation. With `tx`, the transaction that makes the change: the event then goes out
   * when, and only if, that transaction commits (on PostgreSQL the NOTIFY is part of it).
   */
  publish(event: CacheInvalidation, tx?: MetadataStore): Promise<void>;
  /** Calls `handler` for every event announced from now on; returns the unsubscribe function. */
  subscribe(handler: (event: CacheInvalidation) => void): () => void;
  close(): Promise<void>;
}

/**
 * One process, no transport. Events are delivered as they are published, even inside a transaction that may
 * still roll back: dropping a cache entry too early only costs a re-read, and the services drop their own
 * process's entry again after commit (so a concurrent re-read of the old record cannot stick).
 */
export class InProcessInvalidationBus implements InvalidationBus {
  private readonly handlers = new Set<(event: CacheInvalidation) => void>();

  async publish(event: CacheInvalidation): Promise<void> {
    for (const handler of this.handlers) handler(event);
  }

  subscribe(handler: (event: CacheInvalidation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/** Parses an event that crossed a process boundary; anything malformed is ignored (undefined). */
export function parseInvalidation(payload: string): CacheInvalidation | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, tokenId, repository, name } = value as { kind?: unknown; tokenId?: unknown; repository?: unknown; name?: unknown };
  if (kind === 'all-tokens') return { kind };
  if (kind === 'token' && typeof tokenId === 'string') return { kind, tokenId };
  if (kind === 'package' && typeof repository === 'string' && typeof name === 'string') return { kind, repository, name };
  return undefined;
}
