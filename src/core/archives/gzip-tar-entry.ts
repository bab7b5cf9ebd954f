import { once } from 'node:events';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
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

/**
 * Finds one entry of a .tar.gz with a real tar library and returns its bytes. The work is bounded every way
 * a hostile archive could stretch it: decompression stops at the archive's end marker (bytes after it are
 * never fed to the parser, which would re-buffer them at quadratic cost), at maxScanBytes, at maxMs, and as
 * soon as the signal says the client has gone. Throws validation errors that name the archive.
 */
export async function readGzipTarEntry(source: Readable, search: TarEntrySearch): Promise<Buffer> {
  const { archive, entry: wanted } = search;
  const deadline = Date.now() + search.maxMs;
  const gunzip = createGunzip();
  let found: Buffer | undefined;
  let failure: Error | undefined;
  let archiveEnded = false;
  const parser = new Parser({
    onReadEntry(entry: ReadEntry) {
      if (found || failure || !search.isWanted(entry.path)) return entry.resume();
      if (entry.size > search.maxEntryBytes) {
        failure = Errors.validation(`Refusing the ${archive}: its ${wanted} is larger than ${search.maxEntryBytes} bytes`);
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
    // Errors on either side end the loop below; destroying gunzip (on return) closes the source too.
    pipeline(source, gunzip, () => undefined);
    let scanned = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (search.signal?.aborted) throw Errors.validation('The upload was abandoned by the client');
      scanned += chunk.length;
      if (scanned > search.maxScanBytes) throw Errors.validation(`Refusing the ${archive}: no ${wanted} in its first ${search.maxScanBytes} decompressed bytes`);
      if (Date.now() > deadline) throw Errors.validation(`Refusing the ${archive}: no ${wanted} found within ${search.maxMs / 1000} s of reading`);
      if (!parser.write(chunk)) await once(parser, 'drain');
      if (failure) throw failure;
      if (found) return found;
      if (archiveEnded) break;
    }
    if (!archiveEnded) await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw failure;
    if (found) return found;
    throw Errors.validation(`Invalid ${archive}: no ${wanted} inside`);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw Errors.validation(`Invalid ${archive}: not a readable .tar.gz (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    gunzip.destroy();
  }
}

/** How many decompressed bytes an archive of `compressedSize` bytes may make us scan: a ratio with a floor and a ceiling. */
export function scanBudget(compressedSize: number, limits: { ratio: number; floor: number; ceiling: number }): number {
  return Math.min(limits.ceiling, Math.max(limits.floor, compressedSize * limits.ratio));
}
