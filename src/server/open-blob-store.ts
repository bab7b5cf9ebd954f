import type { BlobStore } from '../core/blob-store.js';
import { FilesystemBlobStore } from '../storage/blobs/filesystem-blob-store.js';
import type { BlobStoreConfig } from './config.js';

/**
 * The blob store the configuration names: files under the data dir, or an S3-compatible bucket. The AWS SDK
 * (about 25 MB of a process's memory) is loaded only when a bucket is configured.
 */
export async function openBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  if (config.kind === 'filesystem') return new FilesystemBlobStore(config.root);
  const [{ S3BlobStore }, { createS3Client }] = await Promise.all([import('../storage/blobs/s3-blob-store.js'), import('../storage/blobs/s3-client.js')]);
  return new S3BlobStore({ client: createS3Client(config), location: config.location, redirectDownloads: config.redirect });
}
