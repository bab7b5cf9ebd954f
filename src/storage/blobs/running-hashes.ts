import { createHash, type Hash } from 'node:crypto';

/** The algorithm hashed while bytes arrive; by far the most common. A sha512 commit re-reads the file. */
export const RUNNING_ALGORITHM = 'sha256';

// Enough for every upload a busy server has in flight; beyond it the oldest states are dropped, which only
// costs a re-read of that upload at commit.
const MAX_ENTRIES = 1024;

/**
 * The sha256 state of each upload session as of its current size, kept between appends so that commit need
 * not re-read what was just written. A state is trusted only when its size equals the file's size at the
 * moment it is used: bytes below the current size never change (a failed append truncates back to where it
 * started, never lower), so equal sizes mean the state covers exactly the file. After a restart, an append
 * by another process, or a failed append, there is no state and commit re-hashes the file from disk.
 */
export class RunningHashes {
  private readonly states = new Map<string, { hash: Hash; size: number }>();

  /** Removes and returns the state for `uploadId` if it covers exactly `size` bytes. */
  take(uploadId: string, size: number): Hash | undefined {
    const state = this.states.get(uploadId);
    this.states.delete(uploadId);
    if (state && state.size === size) return state.hash;
    return size === 0 ? createHash(RUNNING_ALGORITHM) : undefined;
  }

  keep(uploadId: string, hash: Hash, size: number): void {
    this.states.delete(uploadId);
    this.states.set(uploadId, { hash, size });
    if (this.states.size > MAX_ENTRIES) {
      const oldest = this.states.keys().next();
      if (!oldest.done) this.states.delete(oldest.value);
    }
  }

  forget(uploadId: string): void {
    this.states.delete(uploadId);
  }
}
