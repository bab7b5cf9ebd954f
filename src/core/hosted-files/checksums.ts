import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { BlobStore } from '../blob-store.js';
import { Errors } from '../errors.js';

/** The checksums Maven and generic files are served with (companion files, X-Checksum-* headers). */
export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type Checksums = Record<ChecksumAlgorithm, string>;

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

/** A file streamed into an uncommitted blob-store upload, with every checksum of its bytes. */
export interface ReceivedFile {
  uploadId: string;
  size: number;
  checksums: Checksums;
}

/**
 * Streams a request body into a new upload session while hashing it with all four algorithms, so a
 * companion `.sha512` never needs the bytes read again. Nothing is visible until the upload is committed.
 */
export async function receiveFile(blobs: BlobStore, source: Readable, signal?: AbortSignal): Promise<ReceivedFile> {
  const hashes = Object.fromEntries(CHECKSUM_ALGORITHMS.map((a) => [a, createHash(a)])) as Record<ChecksumAlgorithm, Hash>;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (const a of CHECKSUM_ALGORITHMS) hashes[a].update(chunk);
      done(null, chunk);
    },
  });
  const uploadId = await blobs.startUpload();
  try {
    const size = await blobs.appendUpload(uploadId, pipeline(source, hashing, () => undefined), { signal });
    const checksums = Object.fromEntries(CHECKSUM_ALGORITHMS.map((a) => [a, hashes[a].digest('hex')])) as Checksums;
    return { uploadId, size, checksums };
  } catch (error) {
    await blobs.cancelUpload(uploadId);
    throw error;
  }
}

/** The checksums of bytes already in memory (a computed maven-metadata.xml). */
export function checksumsOf(bytes: Buffer | string): Checksums {
  return Object.fromEntries(CHECKSUM_ALGORITHMS.map((a) => [a, createHash(a).update(bytes).digest('hex')])) as Checksums;
}

/**
 * Reads a checksum as clients write it: hex, optionally followed by a file name (`sha1sum` output), in any
 * case. Anything else is refused, so a stray body never counts as a checksum.
 */
export function parseChecksum(algorithm: ChecksumAlgorithm, text: string): string {
  const value = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (value.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(value)) {
    throw Errors.validation(`Invalid ${algorithm} checksum: expected ${HEX_LENGTH[algorithm]} hexadecimal digits`);
  }
  return value;
}

/** Checks checksums a client declared (headers or a companion file) against what arrived; throws on mismatch. */
export function verifyChecksums(actual: Checksums, declared: Partial<Record<ChecksumAlgorithm, string>>, what: string): void {
  for (const a of CHECKSUM_ALGORITHMS) {
    const text = declared[a];
    if (text === undefined) continue;
    const expected = parseChecksum(a, text);
    if (expected !== actual[a]) {
      throw Errors.conflict(`${a} checksum ${expected} does not match ${what} (${a} ${actual[a]}): nothing was stored`);
    }
  }
}
