import type { BlobStore } from '../core/blob-store.js';
import { FilesystemBlobStore } from '../storage/blobs/filesystem-blob-store.js';
import { S3BlobStore } from '../storage/blobs/s3-blob-store.js';
import { createS3Client } from '../storage/blobs/s3-client.js';
import type { BlobStoreConfig } from './config.js';

/** The blob store the configuration names: files under the data dir, or an S3-compatible bucket. */
export function openBlobStore(config: BlobStoreConfig): BlobStore {
  if (config.kind === 'filesystem') return new FilesystemBlobStore(config.root);
  return new S3BlobStore({ client: createS3Client(config), location: config.location, redirectDownloads: config.redirect });
}
