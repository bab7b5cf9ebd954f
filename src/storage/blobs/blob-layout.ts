import path from 'node:path';
import { InvalidDigestError, isDigest, type ByteRange, type Digest } from '../../core/blob-store.js';

/**
 * Where the filesystem blob store keeps things, under its root:
 *
 *   sha256/ab/<64 hex>        a committed blob (sha512/ab/<128 hex> likewise)
 *   _uploads/<uuid>/data      bytes of an upload session received so far
 *   _uploads/<uuid>/meta.json when the session started
 *
 * Every digest and upload id is checked against a strict pattern before it becomes a path, so nothing a
 * client sends (`../`, absolute paths, odd lengths) can name a file outside these folders. Blobs and uploads
 * live under the same root so that commit is a rename within one filesystem (atomic).
 */

export type DigestAlgorithm = 'sha256' | 'sha512';

export const ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sha512'];

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

// Only the lowercase form we issue (crypto.randomUUID); anything else cannot name one of our sessions.
const UPLOAD_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const UPLOADS_DIR = '_uploads';

export function isUploadId(value: string): boolean {
  return UPLOAD_ID_PATTERN.test(value);
}

export function parseDigest(value: string): { algorithm: DigestAlgorithm; hex: string } {
  if (typeof value !== 'string' || !isDigest(value)) throw new InvalidDigestError(String(value));
  const [algorithm, hex] = value.split(':') as [DigestAlgorithm, string];
  return { algorithm, hex };
}

/** Whether an inclusive byte range lies inside a blob of `size` bytes (whole numbers, start ≤ end < size). */
export function isRangeWithin(range: ByteRange, size: number): boolean {
  return Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end < size;
}

/** A blob file name found on disk, turned back into its digest (undefined for anything that is not one). */
export function digestFromFile(algorithm: DigestAlgorithm, fanout: string, name: string): Digest | undefined {
  if (name.length !== HEX_LENGTH[algorithm] || !name.startsWith(fanout)) return undefined;
  const digest = `${algorithm}:${name}`;
  return isDigest(digest) ? digest : undefined;
}

export class BlobLayout {
  constructor(readonly root: string) {}

  /** Throws InvalidDigestError unless `digest` is well formed. */
  blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    // Two hex characters of fan-out keep any one directory to a few thousand entries.
    return path.join(this.root, algorithm, hex.slice(0, 2), hex);
  }

  algorithmDir(algorithm: DigestAlgorithm): string {
    return path.join(this.root, algorithm);
  }

  uploadsDir(): string {
    return path.join(this.root, UPLOADS_DIR);
  }

  /** Callers check isUploadId first; this asserts it again so no unchecked id ever becomes a path. */
  uploadDir(uploadId: string): string {
    if (!isUploadId(uploadId)) throw new Error(`refusing to build a path from upload id ${JSON.stringify(uploadId.slice(0, 80))}`);
    return path.join(this.root, UPLOADS_DIR, uploadId);
  }

  uploadData(uploadId: string): string {
    return path.join(this.uploadDir(uploadId), 'data');
  }

  uploadMeta(uploadId: string): string {
    return path.join(this.uploadDir(uploadId), 'meta.json');
  }
}
