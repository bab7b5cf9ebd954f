import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * S3 requires every part but the last to be at least 5 MiB and allows 10,000 parts: 8 MiB parts cap one
 * object at ~78 GiB, far beyond any image layer, while a writer holds just one part in memory.
 */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * Streams bytes of unknown length into one S3 object with flat memory. Bytes collect in a single part-sized
 * buffer; an object that ends within it is written with one PutObject, a larger one becomes a multipart
 * upload whose parts are sent one at a time from that same buffer (the caller awaits each write, which is
 * the backpressure). Nothing is visible under the key until finish(); abort() leaves nothing behind.
 */
export class S3ObjectWriter {
  private readonly buffer: Buffer;
  private filled = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private written = 0;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    partBytes = PART_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(partBytes);
  }

  /** Bytes accepted so far. */
  get size(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, this.buffer.length - this.filled);
      this.buffer.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      this.written += take;
      if (this.filled === this.buffer.length) await this.sendPart();
    }
  }

  async finish(): Promise<void> {
    if (this.uploadId === undefined) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: this.buffer.subarray(0, this.filled), ContentLength: this.filled }),
      );
      return;
    }
    if (this.filled > 0) await this.sendPart();
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
    this.uploadId = undefined;
  }

  /** Drops what was sent; safe to call after a failure at any point. */
  async abort(): Promise<void> {
    const uploadId = this.uploadId;
    this.uploadId = undefined;
    if (uploadId === undefined) return;
    // Best effort: if this fails too, the bucket's AbortIncompleteMultipartUpload lifecycle rule (README)
    // reclaims the parts; the object itself never became visible.
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })).catch(() => undefined);
  }

  private async sendPart(): Promise<void> {
    this.uploadId ??= (await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }))).UploadId;
    if (!this.uploadId) throw new Error(`S3 gave no upload id for ${this.key}`);
    const partNumber = this.parts.length + 1;
    const { ETag } = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        Body: this.buffer.subarray(0, this.filled),
      }),
    );
    this.parts.push({ PartNumber: partNumber, ETag });
    // The part has been sent and acknowledged, so its buffer can take the next bytes.
    this.filled = 0;
  }
}
