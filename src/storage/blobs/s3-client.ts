import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  /** e.g. http://minio:9000; undefined = AWS S3 itself. */
  endpoint?: string;
  region: string;
  /** Both or neither; without them the SDK's default chain applies (AWS_* variables, web identity, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`: what most self-hosted stores need. */
  forcePathStyle: boolean;
}

export function createS3Client(settings: S3ClientSettings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    // Checksums only where S3 requires them: the SDK's newer default (a CRC on every upload, with
    // aws-chunked bodies) is not understood by several S3-compatible stores, and every blob is verified
    // against its own sha256/sha512 digest anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
