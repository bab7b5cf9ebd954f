import type { BlobStore } from '../../core/blob-store.js';

/**
 * Cancels upload sessions nobody has appended to for `olderThanMs` (clients that crashed or gave up mid-push),
 * returning the ids removed. Works on any BlobStore through the port, so the filesystem and S3 stores share it.
 * `now` is a parameter so callers (and tests) decide what time it is.
 */
export async function cleanAbandonedUploads(store: BlobStore, olderThanMs: number, now: Date): Promise<string[]> {
  const cutoff = now.getTime() - olderThanMs;
  const removed: string[] = [];
  for await (const upload of store.listUploads()) {
    if (upload.updatedAt.getTime() >= cutoff) continue;
    // Look again just before cancelling: a client may have resumed since the listing was read.
    const current = await store.uploadInfo(upload.id);
    if (!current || current.updatedAt.getTime() >= cutoff) continue;
    await store.cancelUpload(upload.id);
    removed.push(upload.id);
  }
  return removed;
}
