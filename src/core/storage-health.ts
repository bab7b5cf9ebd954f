import { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.js';
import type { Clock } from './clock.js';
import type { MetadataStore } from './ports.js';
import { storageFailureOf, type StorageFailure } from './storage-failure.js';

export type Readiness = { ready: true } | { ready: false; cause: string };

/**
 * Whether writes are known to fail for lack of storage. A failure answered to a client marks storage as
 * failing; readiness then runs a write probe (a small blob and a database row) on each check until one
 * succeeds, so a replica whose disk is full or read-only leaves the load balancer and comes back by itself
 * once space is freed, without a restart. While nothing failed, readiness costs no write.
 */
export class StorageHealth {
  private failing: StorageFailure | null = null;

  constructor(private readonly probe: () => Promise<void>) {}

  recordFailure(failure: StorageFailure): void {
    this.failing = failure;
  }

  async readiness(): Promise<Readiness> {
    if (!this.failing) return { ready: true };
    try {
      await this.probe();
      this.failing = null;
      return { ready: true };
    } catch (error) {
      // A probe failing otherwise (a database gone) keeps the cause that was seen; /readyz pings the database too.
      const failure = storageFailureOf(error) ?? this.failing ?? { kind: 'unwritable', code: 'unknown', cause: String(error) };
      this.failing = failure;
      return { ready: false, cause: failure.cause };
    }
  }
}

/** The write probe: a few bytes into a blob upload session (then cancelled), and one database row rewritten. */
export function storageWriteProbe(store: MetadataStore, blobs: BlobStore, clock: Clock): () => Promise<void> {
  return async () => {
    const id = await blobs.startUpload();
    try {
      await blobs.appendUpload(id, Readable.from([Buffer.from('readiness probe\n')]));
    } finally {
      await blobs.cancelUpload(id).catch(() => undefined);
    }
    await store.probeWrite(clock.now());
  };
}
