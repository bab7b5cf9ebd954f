import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { BlobStore } from '../blob-store.js';

/** An uploaded distribution, streamed into an uncommitted blob-store upload, with the hashes of its bytes. */
export interface ReceivedFile {
  uploadId: string;
  filename: string;
  size: number;
  sha256: string;
  md5: string;
}

/**
 * Streams a file into a new blob-store upload session while hashing it (sha256 to address it, md5 because
 * twine sends md5_digest and we check it). Nothing is visible until the upload is committed.
 */
export async function receiveFile(blobs: BlobStore, filename: string, source: Readable, signal?: AbortSignal): Promise<ReceivedFile> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sha256.update(chunk);
      md5.update(chunk);
      done(null, chunk);
    },
  });
  const uploadId = await blobs.startUpload();
  try {
    const size = await blobs.appendUpload(uploadId, pipeline(source, hashing, () => undefined), { signal });
    return { uploadId, filename, size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  } catch (error) {
    await blobs.cancelUpload(uploadId);
    throw error;
  }
}
