import type { TokenWithCreator } from '../model.js';

interface Entry {
  token: TokenWithCreator;
  fetchedAt: number;
  /** For a secret a rotation replaced: when it stops working (epoch ms); null for the current secret. */
  retiresAt: number | null;
}

/**
 * In-process cache of token records by secret hash. A revoke or delete drops the entry at once; the TTL
 * only bounds how stale a record can get when another replica changed it (docs/architecture.md, per-process caches).
 * A token may be cached under several hashes at once (its current secret and, during a rotation's overlap,
 * the replaced one): dropping a token drops all of them, and a replaced secret's entry ends at its retirement.
 */
export class TokenCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly hashesById = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** The cached record and, for a replaced secret, when it retires (epoch ms). */
  entry(hash: string, now: number): { token: TokenWithCreator; retiresAt: number | null } | undefined {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    if (now - entry.fetchedAt > this.ttlMs || (entry.retiresAt !== null && now >= entry.retiresAt)) {
      this.drop(hash, entry.token.id);
      return undefined;
    }
    return entry;
  }

  /** The cached record of a token by its current secret (for credentials bound to a token id rather than its secret). */
  getById(tokenId: string, now: number): TokenWithCreator | undefined {
    for (const hash of this.hashesById.get(tokenId) ?? []) {
      const entry = this.entry(hash, now);
      if (entry && entry.retiresAt === null) return entry.token;
    }
    return undefined;
  }

  set(hash: string, token: TokenWithCreator, now: number, retiresAt: number | null = null): void {
    if (this.byHash.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.drop(oldest, this.byHash.get(oldest)?.token.id);
    }
    this.byHash.set(hash, { token, fetchedAt: now, retiresAt });
    const hashes = this.hashesById.get(token.id);
    if (hashes) hashes.add(hash);
    else this.hashesById.set(token.id, new Set([hash]));
  }

  invalidate(tokenId: string): void {
    for (const hash of this.hashesById.get(tokenId) ?? []) this.byHash.delete(hash);
    this.hashesById.delete(tokenId);
  }

  clear(): void {
    this.byHash.clear();
    this.hashesById.clear();
  }

  private drop(hash: string, tokenId: string | undefined): void {
    this.byHash.delete(hash);
    if (tokenId === undefined) return;
    const hashes = this.hashesById.get(tokenId);
    hashes?.delete(hash);
    if (hashes?.size === 0) this.hashesById.delete(tokenId);
  }
}
