import { S3Client } from '@aws-sdk/client-s3';
import { markedS3Failure } from './s3-errors.js';

export interface S3ClientSettings {
  /** e.g. http://minio:9000; undefined = AWS S3 itself. */
  endpoint?: string;
  region: string;
  /** Both or neither; without them the SDK's default chain applies (AWS_* variables, web identity, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`: what most self-hosted stores need. */
  forcePathStyle: boolean;
  /**
   * A request that cannot connect, or moves no bytes either way, for this long fails (and is retried by the
   * SDK, three attempts in all); undefined: no bound. Inactivity, not duration: a large transfer that keeps
   * moving is never cut.
   */
  timeoutMs?: number;
}

export function createS3Client(settings: S3ClientSettings): S3Client {
  const client = new S3Client({
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
    ...(settings.timeoutMs ? { requestHandler: { connectionTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs } } : {}),
  });
  // Outside the SDK's retries: what fails after them is marked for core (src/storage/blobs/s3-errors.ts).
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw markedS3Failure(error);
      }
    },
    { step: 'initialize', name: 'flyMarkUnavailable' },
  );
  return client;
}
