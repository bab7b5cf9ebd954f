import type { Readable } from 'node:stream';
import { UploadNotFoundError, type BlobInfo, type Digest } from '../../core/blob-store.js';
import { isUploadId, parseDigest } from './blob-layout.js';
import { KeyedMutex } from './keyed-mutex.js';

export interface AppendOptions {
  expectedOffset?: number;
  signal?: AbortSignal;
}

/**
 * The upload-session rules every blob store shares: ids are validated before they touch storage, appends
 * and commits of one session run one at a time (in this process), and cancel never waits for a stalled
 * append. Stores implement the locked steps; this class owns when they run.
 */
export abstract class LockedUploadSessions {
  private readonly uploadLocks = new KeyedMutex();

  async appendUpload(uploadId: string, source: Readable, options: AppendOptions = {}): Promise<number> {
    if (!isUploadId(uploadId)) throw new UploadNotFoundError(uploadId);
    return this.uploadLocks.run(uploadId, () => this.appendLocked(uploadId, source, options));
  }

  async commitUpload(uploadId: string, expected: Digest): Promise<BlobInfo> {
    parseDigest(expected); // a malformed digest is the caller's error: refuse it and keep the upload
    if (!isUploadId(uploadId)) throw new UploadNotFoundError(uploadId);
    return this.uploadLocks.run(uploadId, () => this.commitLocked(uploadId, expected));
  }

  async cancelUpload(uploadId: string): Promise<void> {
    if (!isUploadId(uploadId)) return;
    // Deliberately not behind the upload lock: cancelling must not wait for a stalled client's append,
    // which finds its session gone when it finishes.
    await this.discard(uploadId);
  }

  /**
   * `put()` through a session of its own: append everything, commit under `expected` (or the sha256 of
   * what arrived), and discard the session on any failure so nothing half-written remains.
   */
  protected async putThroughSession(source: Readable, expected: Digest | undefined, options: AppendOptions = {}): Promise<BlobInfo> {
    const uploadId = await this.startUpload();
    try {
      await this.uploadLocks.run(uploadId, () => this.appendLocked(uploadId, source, options));
      return await this.uploadLocks.run(uploadId, () => this.commitLocked(uploadId, expected));
    } catch (error) {
      await this.discard(uploadId);
      throw error;
    }
  }

  abstract startUpload(): Promise<string>;
  protected abstract appendLocked(uploadId: string, source: Readable, options: AppendOptions): Promise<number>;
  protected abstract commitLocked(uploadId: string, expected: Digest | undefined): Promise<BlobInfo>;
  protected abstract discard(uploadId: string): Promise<void>;
}
