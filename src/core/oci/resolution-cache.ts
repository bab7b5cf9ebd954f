import type { OciManifest } from './ports.js';

/**
 * A short-lived memo of `repository + reference → manifest row`, the one database read of a pull.
 * Writes through this process clear it at once; a write on another replica is seen within `ttlMs`
 * (the same bound the token cache puts on cross-replica staleness). Misses are never memoised.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, { manifest: OciManifest; at: number }>();
  /** Bumped by clear(): a lookup that started before a write must not memoise what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  get(repository: string, reference: string, now: number): OciManifest | undefined {
    const key = `${repository}\n${reference}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.manifest;
  }

  /** Take this before reading the database; pass it to set(). */
  current(): number {
    return this.generation;
  }

  set(repository: string, reference: string, manifest: OciManifest, now: number, generation: number): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(`${repository}\n${reference}`, { manifest, at: now });
  }

  /** After any manifest or tag write: simpler and safer than tracking which entries it touched. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
