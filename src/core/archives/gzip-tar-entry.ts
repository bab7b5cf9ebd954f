import { once } from 'node:events';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';

export interface TarEntrySearch {
  /** What the archive is, for messages: "sdist", "npm tarball". */
  archive: string;
  /** What is looked for, for messages: "PKG-INFO", "package/package.json". */
  entry: string;
  isWanted(path: string): boolean;
  maxEntryBytes: number;
  /** Decompressed bytes scanned at most before giving up. */
  maxScanBytes: number;
  maxMs: number;
  signal?: AbortSignal;
}

/** How one scan of a .tar.gz goes: what it looks for, what it refuses, and every bound on its work. */
interface TarScan {
  /** Names the archive in messages: "sdist", "crate". */
  archive: string;
  isWanted(path: string): boolean;
  maxEntryBytes: number;
  entryTooLarge(path: string): Error;
  /** Decompressed bytes read before giving up: what bounds a gzip bomb's cost. */
  maxScanBytes: number;
  scanTooLong(): Error;
  /** Read to the end, checking every entry (true), or return as soon as the wanted entry is read. */
  checkEveryEntry: boolean;
  /** Checked for every entry: a reason to refuse the archive, or null. */
  refuse?(path: string, type: string): string | null;
  maxEntries?: number;
  deadline?: { at: number; exceeded(): Error };
  signal?: AbortSignal;
}

/**
 * The one .tar.gz reader: a real tar library over the decompressed stream. Decompression stops at the
 * archive's end marker (bytes after it are never fed to the parser, which would re-buffer them at quadratic
 * cost), at maxScanBytes, at the deadline and when the signal says the client has gone. Returns the wanted
 * entry's bytes (the first match), or undefined when none matched.
 */
async function scanGzipTar(source: Readable, scan: TarScan): Promise<Buffer | undefined> {
  const gunzip = createGunzip();
  let found: Buffer | undefined;
  let failure: Error | undefined;
  let archiveEnded = false;
  let entries = 0;
  const parser = new Parser({
    onReadEntry(entry: ReadEntry) {
      entries++;
      const problem = scan.maxEntries !== undefined && entries > scan.maxEntries ? `more than ${scan.maxEntries} entries` : (scan.refuse?.(entry.path, entry.type) ?? null);
      if (problem) failure ??= Errors.validation(`Invalid ${scan.archive}: ${problem}`);
      if (failure || found || !scan.isWanted(entry.path)) return entry.resume();
      if (entry.size > scan.maxEntryBytes) {
        failure = scan.entryTooLarge(entry.path);
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => (found = Buffer.concat(chunks)));
    },
  });
  parser.on('warn', () => undefined);
  parser.on('eof', () => (archiveEnded = true));
  try {
    // Errors on either side end the loop below; destroying gunzip (finally) closes the source too.
    pipeline(source, gunzip, () => undefined);
    let scanned = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (scan.signal?.aborted) throw Errors.validation('The upload was abandoned by the client');
      scanned += chunk.length;
      if (scanned > scan.maxScanBytes) throw scan.scanTooLong();
      if (scan.deadline && Date.now() > scan.deadline.at) throw scan.deadline.exceeded();
      if (!parser.write(chunk)) await once(parser, 'drain');
      if (failure) throw failure;
      if (found && !scan.checkEveryEntry) return found;
      if (archiveEnded) break;
    }
    if (!archiveEnded) await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw failure;
    return found;
  } catch (error) {
    if (isAppError(error)) throw error;
    throw Errors.validation(`Invalid ${scan.archive}: not a readable .tar.gz (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    gunzip.destroy();
  }
}

/**
 * Finds one entry of an uploaded .tar.gz (an sdist's PKG-INFO, an npm tarball's package.json) and returns
 * its bytes, as soon as it is read: bounded in decompressed bytes, in time, and by the client's presence.
 * Throws validation errors that name the archive.
 */
export async function readGzipTarEntry(source: Readable, search: TarEntrySearch): Promise<Buffer> {
  const { archive, entry: wanted } = search;
  const found = await scanGzipTar(source, {
    archive,
    isWanted: search.isWanted,
    maxEntryBytes: search.maxEntryBytes,
    entryTooLarge: () => Errors.validation(`Refusing the ${archive}: its ${wanted} is larger than ${search.maxEntryBytes} bytes`),
    maxScanBytes: search.maxScanBytes,
    scanTooLong: () => Errors.validation(`Refusing the ${archive}: no ${wanted} in its first ${search.maxScanBytes} decompressed bytes`),
    checkEveryEntry: false,
    deadline: { at: Date.now() + search.maxMs, exceeded: () => Errors.validation(`Refusing the ${archive}: no ${wanted} found within ${search.maxMs / 1000} s of reading`) },
    ...(search.signal ? { signal: search.signal } : {}),
  });
  if (!found) throw Errors.validation(`Invalid ${archive}: no ${wanted} inside`);
  return found;
}

export interface TarGzScan {
  /** Names the archive in errors: "crate", "chart". */
  what: string;
  /** The entry to return (the first that matches). */
  wanted(path: string): boolean;
  /** Checked for every entry: a reason to refuse the archive, or null. */
  refuse?(path: string, type: string): string | null;
  maxEntryBytes: number;
  /** Decompressed bytes read before giving up: what bounds a gzip bomb's cost. */
  maxScanBytes: number;
  maxEntries: number;
}

/**
 * Reads one entry of a stored .tar.gz (a crate's Cargo.toml, a chart's Chart.yaml), checking every entry on
 * the way: the whole archive is read (bounded in entries and in decompressed bytes), so a refused path
 * anywhere in it is found. Undefined when no entry matched.
 */
export async function readStoredTarGzEntry(blobs: BlobStore, digest: Digest, scan: TarGzScan): Promise<Buffer | undefined> {
  return scanGzipTar(await blobs.open(digest), {
    archive: scan.what,
    isWanted: scan.wanted,
    maxEntryBytes: scan.maxEntryBytes,
    entryTooLarge: (path) => Errors.validation(`Invalid ${scan.what}: ${path} is larger than ${scan.maxEntryBytes} bytes`),
    maxScanBytes: scan.maxScanBytes,
    scanTooLong: () => Errors.validation(`Invalid ${scan.what}: it expands to more than ${scan.maxScanBytes} bytes`),
    checkEveryEntry: true,
    maxEntries: scan.maxEntries,
    ...(scan.refuse ? { refuse: scan.refuse } : {}),
  });
}

/** How many decompressed bytes an archive of `compressedSize` bytes may make us scan: a ratio with a floor and a ceiling. */
export function scanBudget(compressedSize: number, limits: { ratio: number; floor: number; ceiling: number }): number {
  return Math.min(limits.ceiling, Math.max(limits.floor, compressedSize * limits.ratio));
}
