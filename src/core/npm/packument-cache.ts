/** A rendered packument: the exact response body and its entity tag. */
export interface RenderedPackument {
  /** The packument's JSON, encoded once. */
  body: Buffer;
  etag: string;
}

interface Entry {
  loadedAt: number;
  variants: Map<string, Promise<RenderedPackument | undefined>>;
  /** The variants whose load has finished, for answers that cannot wait (peek). */
  rendered: Map<string, RenderedPackument>;
}

/**
 * Rendered packuments per package, so the install hot path (GET packument) costs a map lookup instead of
 * several queries and a JSON render. Every write through this process invalidates the package at once;
 * the TTL only bounds how stale another replica's write can look here (docs/architecture.md, per-process caches).
 *
 * Concurrent misses share one load. A load that a write overtakes cannot be served afterwards: the entry
 * is created before the load starts and invalidate() drops the whole entry, so the next request starts
 * a fresh load that sees the write.
 */
export class PackumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxPackages = 10_000,
  ) {}

  get(name: string, variant: string, now: number, load: () => Promise<RenderedPackument | undefined>): Promise<RenderedPackument | undefined> {
    let entry = this.entries.get(name);
    if (entry && now - entry.loadedAt > this.ttlMs) {
      this.entries.delete(name);
      entry = undefined;
    }
    if (!entry) {
      if (this.entries.size >= this.maxPackages) {
        // Maps iterate in insertion order: drop the oldest package.
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      entry = { loadedAt: now, variants: new Map(), rendered: new Map() };
      this.entries.set(name, entry);
    }
    const cached = entry.variants.get(variant);
    if (cached) return cached;
    const pending = load();
    entry.variants.set(variant, pending);
    const owner = entry;
    // Unknown packages and failures are not kept: a publish may create the package any moment.
    pending.then(
      (result) => {
        if (result === undefined) owner.variants.delete(variant);
        else owner.rendered.set(variant, result);
      },
      () => owner.variants.delete(variant),
    );
    return pending;
  }

  /** What get() would answer without loading: a rendered variant still within its TTL, else undefined. */
  peek(name: string, variant: string, now: number): RenderedPackument | undefined {
    const entry = this.entries.get(name);
    return entry && now - entry.loadedAt <= this.ttlMs ? entry.rendered.get(variant) : undefined;
  }

  /** Called after every write to a package. */
  invalidate(name: string): void {
    this.entries.delete(name);
  }
}
