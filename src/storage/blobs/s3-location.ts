/**
 * Where the S3 blob store keeps things inside its bucket, under an optional key prefix:
 *
 *   <prefix>sha256/ab/<64 hex>                        a committed blob (sha512/ab/<128 hex> likewise)
 *   <prefix>_uploads/<uuid>/started                   an upload session exists (its LastModified is the start)
 *   <prefix>_uploads/<uuid>/chunk-<16-digit offset>   the bytes one append wrote, starting at that offset
 *
 * The same names as the filesystem layout (blob-layout.ts), so an operator can move blobs between the two by
 * copying files. An upload session is nothing but these objects: any replica can list them and know the
 * session's size, so a PATCH may land on a different replica than the POST. Zero-padded offsets list in
 * numeric order. Keys are built only from checked digests and upload ids (blob-layout.ts validates both).
 */
import { isUploadId, parseDigest, UPLOADS_DIR } from './blob-layout.js';

export interface S3Location {
  bucket: string;
  /** Empty, or ends with `/`. */
  prefix: string;
}

/** Parses `s3://bucket` or `s3://bucket/some/prefix`. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  const bucket = match?.[1];
  // S3's own bucket naming rules (a subset that self-hosted stores also accept).
  if (!bucket || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`expected s3://<bucket>[/<prefix>] with a valid bucket name, got ${JSON.stringify(url)}`);
  }
  const prefix = (match?.[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket, prefix: prefix ? `${prefix}/` : '' };
}

const OFFSET_DIGITS = 16;
const MARKER = 'started';
const CHUNK_PREFIX = 'chunk-';

export type UploadObject = { kind: 'marker' } | { kind: 'chunk'; offset: number };

export class S3Keys {
  constructor(readonly prefix: string) {}

  blob(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return `${this.prefix}${algorithm}/${hex.slice(0, 2)}/${hex}`;
  }

  algorithmPrefix(algorithm: string): string {
    return `${this.prefix}${algorithm}/`;
  }

  uploadsPrefix(): string {
    return `${this.prefix}${UPLOADS_DIR}/`;
  }

  uploadPrefix(uploadId: string): string {
    if (!isUploadId(uploadId)) throw new Error(`refusing to build a key from upload id ${JSON.stringify(uploadId.slice(0, 80))}`);
    return `${this.uploadsPrefix()}${uploadId}/`;
  }

  marker(uploadId: string): string {
    return `${this.uploadPrefix(uploadId)}${MARKER}`;
  }

  chunk(uploadId: string, offset: number): string {
    return `${this.uploadPrefix(uploadId)}${CHUNK_PREFIX}${String(offset).padStart(OFFSET_DIGITS, '0')}`;
  }

  /** The session and object a key under `_uploads/` names; undefined for anything we did not write. */
  parseUploadKey(key: string): { uploadId: string; object: UploadObject } | undefined {
    if (!key.startsWith(this.uploadsPrefix())) return undefined;
    const [uploadId, name, ...rest] = key.slice(this.uploadsPrefix().length).split('/');
    if (!uploadId || !name || rest.length > 0 || !isUploadId(uploadId)) return undefined;
    if (name === MARKER) return { uploadId, object: { kind: 'marker' } };
    const digits = name.startsWith(CHUNK_PREFIX) ? name.slice(CHUNK_PREFIX.length) : '';
    if (digits.length !== OFFSET_DIGITS || !/^\d+$/.test(digits)) return undefined;
    return { uploadId, object: { kind: 'chunk', offset: Number(digits) } };
  }
}
