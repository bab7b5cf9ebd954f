import { BlobNotFoundError, DigestMismatchError, UploadNotFoundError, UploadOffsetError } from '../blob-store.js';
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
  if (error instanceof BlobNotFoundError) return Errors.blobUnknown(context.repository, error.digest);
  return error;
}
