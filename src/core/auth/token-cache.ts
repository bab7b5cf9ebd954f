import type { TokenWithCreator } from '../model.js';

interface Entry {
  token: TokenWithCreator;
  fetchedAt: number;
}

/**
 * In-process cache of token records by secret hash. A revoke or delete drops the entry at once; the TTL
 * only bounds how stale a record can get when another replica changed it (docs/architecture.md, per-process caches).
 */
export class TokenCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly hashById = new Map<string, string>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  get(hash: string, now: number): TokenWithCreator | undefined {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    if (now - entry.fetchedAt > this.ttlMs) {
      this.drop(hash, entry.token.id);
      return undefined;
    }
    return entry.token;
  }

  /** The cached record of a token by its id (for credentials bound to a token id rather than its secret). */
  getById(tokenId: string, now: number): TokenWithCreator | undefined {
    const hash = this.hashById.get(tokenId);
    return hash === undefined ? undefined : this.get(hash, now);
  }

  set(hash: string, token: TokenWithCreator, now: number): void {
    if (this.byHash.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.drop(oldest, this.byHash.get(oldest)?.token.id);
    }
    this.byHash.set(hash, { token, fetchedAt: now });
    this.hashById.set(token.id, hash);
  }

  invalidate(tokenId: string): void {
    const hash = this.hashById.get(tokenId);
    if (hash) this.drop(hash, tokenId);
  }

  clear(): void {
    this.byHash.clear();
    this.hashById.clear();
  }

  private drop(hash: string, tokenId: string | undefined): void {
    this.byHash.delete(hash);
    if (tokenId) this.hashById.delete(tokenId);
  }
}
