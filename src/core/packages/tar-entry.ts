import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { BlobStore, Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';

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
 * Reads one entry of a stored .tar.gz (a crate's Cargo.toml, a chart's Chart.yaml) with a real tar
 * library, checking every entry on the way: the whole archive is read (bounded in entries and in
 * decompressed bytes), so a refused path anywhere in it is found. Undefined when no entry matched.
 */
export async function readTarGzEntry(blobs: BlobStore, digest: Digest, scan: TarGzScan): Promise<Buffer | undefined> {
  const source = await blobs.open(digest);
  const gunzip = createGunzip();
  let found: Buffer | undefined;
  let failure: Error | undefined;
  let entries = 0;
  const parser = new Parser({
    onReadEntry(entry: ReadEntry) {
      entries++;
      const problem = entries > scan.maxEntries ? `more than ${scan.maxEntries} entries` : (scan.refuse?.(entry.path, entry.type) ?? null);
      if (problem) failure ??= Errors.validation(`Invalid ${scan.what}: ${problem}`);
      if (failure || found || !scan.wanted(entry.path)) return entry.resume();
      if (entry.size > scan.maxEntryBytes) {
        failure = Errors.validation(`Invalid ${scan.what}: ${entry.path} is larger than ${scan.maxEntryBytes} bytes`);
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => (found = Buffer.concat(chunks)));
    },
  });
  parser.on('warn', () => undefined);
  try {
    // Errors on either side end the loop below; destroying gunzip (finally) closes the blob stream too.
    pipeline(source, gunzip, () => undefined);
    let scanned = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      scanned += chunk.length;
      if (scanned > scan.maxScanBytes) throw Errors.validation(`Invalid ${scan.what}: it expands to more than ${scan.maxScanBytes} bytes`);
      if (!parser.write(chunk)) await once(parser, 'drain');
      if (failure) throw failure;
    }
    await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw failure;
    return found;
  } catch (error) {
    if (isAppError(error)) throw error;
    throw Errors.validation(`Invalid ${scan.what}: not a readable .tar.gz (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    gunzip.destroy();
  }
}
