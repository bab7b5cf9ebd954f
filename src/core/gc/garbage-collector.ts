import type { BlobStore, Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import type { MetadataStore } from '../ports.js';

export interface GcOptions {
  /** Nothing touched more recently than this is removed: uploads and pushes in flight stay safe. */
  graceMs: number;
  dryRun: boolean;
  log?: (line: string) => void;
}

export interface GcReport {
  blobsRemoved: number;
  bytesRemoved: number;
  uploadsRemoved: number;
  /** Stored blobs that had no bookkeeping row (stored before every protocol kept one): tracked from now on. */
  blobsAdopted: number;
}

/** How many digests of the blob store's listing are checked against the bookkeeping at once. */
const ADOPT_BATCH = 500;

/**
 * `flyreg gc`, for every protocol: removes abandoned upload sessions, and every blob no OCI manifest,
 * package file (npm tarball, PyPI distribution and its core metadata…) or upload references, once nothing
 * touched it within the grace period. Safe beside a running server: every protocol touches a blob's
 * bookkeeping row before committing its bytes (core/oci/ports.ts has the touch/collect protocol). A stored
 * blob without a row (from before that bookkeeping) is adopted with a fresh row, so a later run decides it.
 */
export class GarbageCollector {
  constructor(private readonly deps: { store: MetadataStore; blobs: BlobStore; clock: Clock }) {}

  async run(options: GcOptions): Promise<GcReport> {
    const log = options.log ?? (() => undefined);
    const cutoff = new Date(this.deps.clock.now().getTime() - options.graceMs);
    const report: GcReport = { blobsRemoved: 0, bytesRemoved: 0, uploadsRemoved: 0, blobsAdopted: 0 };
    await this.collectUploads(cutoff, options, report, log);
    await this.adoptUntracked(options, report, log);
    await this.collectBlobs(cutoff, options, report, log);
    return report;
  }

  /** Gives every stored blob without a bookkeeping row one, touched now (nothing is removed on sight). */
  private async adoptUntracked(options: GcOptions, report: GcReport, log: (line: string) => void): Promise<void> {
    const { store, blobs } = this.deps;
    const adopt = async (batch: Digest[]) => {
      const untracked = await store.oci.untrackedBlobs(batch);
      report.blobsAdopted += untracked.length;
      for (const digest of untracked) log(`blob ${digest}: stored without bookkeeping${options.dryRun ? ' (dry run: left as is)' : ', tracked from now on'}`);
      if (!options.dryRun && untracked.length > 0) await store.oci.adoptBlobs(untracked, this.deps.clock.now());
    };
    let batch: Digest[] = [];
    for await (const blob of blobs.list()) {
      batch.push(blob.digest);
      if (batch.length < ADOPT_BATCH) continue;
      await adopt(batch);
      batch = [];
    }
    if (batch.length > 0) await adopt(batch);
  }

  /** Upload sessions idle since before the cutoff, and registry upload rows whose session is gone. */
  private async collectUploads(cutoff: Date, options: GcOptions, report: GcReport, log: (line: string) => void): Promise<void> {
    const { store, blobs } = this.deps;
    const idle: string[] = [];
    for await (const upload of blobs.listUploads()) if (upload.updatedAt.getTime() < cutoff.getTime()) idle.push(upload.id);
    for (const id of idle) {
      log(`upload ${id}: abandoned${options.dryRun ? ' (dry run: kept)' : ', removed'}`);
      report.uploadsRemoved++;
      if (options.dryRun) continue;
      await blobs.cancelUpload(id);
      await store.oci.deleteUpload(id);
    }
    if (options.dryRun) return;
    for (const id of await store.oci.staleUploads(cutoff)) {
      if ((await blobs.uploadInfo(id)) === undefined) await store.oci.deleteUpload(id);
    }
  }

  private async collectBlobs(cutoff: Date, options: GcOptions, report: GcReport, log: (line: string) => void): Promise<void> {
    const { store, blobs } = this.deps;
    let after: Digest | undefined;
    for (;;) {
      const candidates = await store.oci.collectableBlobs(cutoff, after, 500);
      if (candidates.length === 0) return;
      after = candidates[candidates.length - 1];
      for (const digest of candidates) {
        const size = (await blobs.stat(digest))?.size ?? 0;
        if (options.dryRun) {
          log(`blob ${digest}: unreferenced, ${size} bytes (dry run: kept)`);
          report.blobsRemoved++;
          report.bytesRemoved += size;
          continue;
        }
        // The bytes go inside the transaction that deleted the row, so a concurrent push that re-creates the
        // row waits for it and then commits its own bytes afresh.
        const removed = await store.transaction(async (tx) => {
          if (!(await tx.oci.deleteBlobIfCollectable(digest, cutoff))) return false;
          await blobs.delete(digest);
          return true;
        });
        if (!removed) continue;
        log(`blob ${digest}: unreferenced, ${size} bytes removed`);
        report.blobsRemoved++;
        report.bytesRemoved += size;
      }
    }
  }
}
