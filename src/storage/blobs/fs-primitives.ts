import type { Dirent, Stats } from 'node:fs';
import { mkdir, open, opendir, stat } from 'node:fs/promises';

/** Small filesystem steps the blob store needs, with "missing" turned into a value instead of an exception. */

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Entries of a directory, streamed (never one big array); nothing when the directory does not exist yet. */
export async function* directoryEntries(dir: string): AsyncGenerator<Dirent> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  // Iterating a Dir closes it at the end, or when the consumer stops early.
  yield* handle;
}

/**
 * Makes a rename inside `dir` durable: after a crash the new name is there, not just the bytes. Some
 * filesystems refuse fsync on a directory; there it is skipped because nothing better is available.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p that reports why it failed: Node's recursive mkdir answers ENOENT when the directory cannot be
 * created at all (a read-only file system, no permission, a full disk), which would hide the cause. A plain
 * mkdir of the last level then tells the real one (EROFS, EACCES, ENOSPC).
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await mkdir(dir);
  }
}
