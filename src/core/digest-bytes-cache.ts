import type { Digest } from './blob-store.js';

interface Entry {
  bytes: Buffer;
  /** Read since eviction last passed it over: it gets a second chance. */
  used: boolean;
}

/**
 * Small blobs' bytes by digest (OCI manifests, Maven poms and other small hosted files). Content-addressed
 * bytes never change, so entries never go stale on any replica (a deleted manifest or file is unreachable
 * through the database first). Bounded by total bytes. Eviction is second chance (CLOCK): the oldest entry
 * goes unless it was read since it was last passed over, in which case it moves to the back. A hit only
 * sets a flag, where a strict LRU would move the entry on every read (a Map delete and set per request).
 */
export class DigestBytesCache {
  private readonly entries = new Map<Digest, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 32 * 1024 * 1024,
    private readonly maxEntryBytes = 512 * 1024,
  ) {}

  get(digest: Digest): Buffer | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    entry.used = true;
    return entry.bytes;
  }

  set(digest: Digest, bytes: Buffer): void {
    if (bytes.length > this.maxEntryBytes || this.entries.has(digest)) return;
    // A new entry was just asked for: it counts as read, or a full cache whose entries were all read would
    // pass them all over and drop it first.
    this.entries.set(digest, { bytes, used: true });
    this.bytes += bytes.length;
    // Ends: each pass either evicts the oldest entry or clears its flag and moves it back (at most once each).
    while (this.bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [Digest, Entry];
      this.entries.delete(oldest);
      if (entry.used) {
        entry.used = false;
        this.entries.set(oldest, entry);
      } else {
        this.bytes -= entry.bytes.length;
      }
    }
  }
}
