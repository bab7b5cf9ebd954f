import type { Digest } from './blob-store.js';

/**
 * Small blobs' bytes by digest (OCI manifests, Maven poms and other small hosted files). Content-addressed
 * bytes never change, so entries never go stale on any replica (a deleted manifest or file is unreachable
 * through the database first). Bounded by total bytes, least recently used out.
 */
export class DigestBytesCache {
  private readonly entries = new Map<Digest, Buffer>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 32 * 1024 * 1024,
    private readonly maxEntryBytes = 512 * 1024,
  ) {}

  get(digest: Digest): Buffer | undefined {
    const hit = this.entries.get(digest);
    if (hit) {
      this.entries.delete(digest);
      this.entries.set(digest, hit);
    }
    return hit;
  }

  set(digest: Digest, bytes: Buffer): void {
    if (bytes.length > this.maxEntryBytes || this.entries.has(digest)) return;
    this.entries.set(digest, bytes);
    this.bytes += bytes.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }
}
