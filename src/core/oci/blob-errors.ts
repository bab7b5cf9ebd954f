import {
  BlobNotFoundError,
  DigestMismatchError,
  InvalidDigestError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
  UploadOffsetError,
} from '../blob-store.js';
import { Errors } from '../errors.js';

/** Turns the blob store's typed errors into the error registry's codes; anything else passes through. */
export function fromBlobStoreError(error: unknown, context: { repository: string }): unknown {
  if (error instanceof DigestMismatchError) {
    return Errors.digestInvalid(`The uploaded content has digest ${error.actual}, not ${error.expected}: nothing was stored`);
  }
  if (error instanceof UploadNotFoundError) return Errors.uploadUnknown(error.uploadId);
  if (error instanceof UploadOffsetError) {
    return Errors.rangeInvalid(`Chunk out of order: the upload holds ${error.actual} bytes, the chunk starts at ${error.expected}`, error.actual, true);
  }
  if (error instanceof InvalidDigestError) return Errors.digestInvalid(error.message);
  if (error instanceof RangeNotSatisfiableError) {
    return Errors.rangeInvalid(`Range bytes=${error.range.start}-${error.range.end} is outside the blob's ${error.size} bytes`, error.size, false);
  }
  if (error instanceof BlobNotFoundError) return Errors.blobUnknown(context.repository, error.digest);
  return error;
}
