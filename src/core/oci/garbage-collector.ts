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
}

/**
 * `flyreg gc`: removes registry blobs no manifest references (once older than the grace period) and
 * abandoned upload sessions. Safe beside a running server: see OciStore for the touch/collect protocol.
 * Only digests the registry recorded are considered; blobs other protocols stored are left alone.
 */
export class GarbageCollector {
  constructor(private readonly deps: { store: MetadataStore; blobs: BlobStore; clock: Clock }) {}

  async run(options: GcOptions): Promise<GcReport> {
    const log = options.log ?? (() => undefined);
    const cutoff = new Date(this.deps.clock.now().getTime() - options.graceMs);
    const report: GcReport = { blobsRemoved: 0, bytesRemoved: 0, uploadsRemoved: 0 };
    await this.collectUploads(cutoff, options, report, log);
    await this.collectBlobs(cutoff, options, report, log);
    return report;
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
