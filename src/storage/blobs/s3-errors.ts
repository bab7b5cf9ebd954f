import { BLOB_STORE_UNAVAILABLE, StorageUnavailableError } from '../../core/storage-failure.js';
import { isSocketError } from '../socket-error.js';

/** How the SDK reports S3 answers we treat as values rather than failures, and the store's own failures. */

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** NoSuchKey on GET, a bodiless 404 (`NotFound`) on HEAD. */
export function isS3NotFound(error: unknown): boolean {
  return httpStatus(error) === 404 || (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'));
}

export function isS3RangeNotSatisfiable(error: unknown): boolean {
  return httpStatus(error) === 416 || (error instanceof Error && error.name === 'InvalidRange');
}

/**
 * `error` marked as the blob store's unavailability when the store failed (after the SDK's own retries): a connection
 * refused, lost or timed out (FLY_S3_TIMEOUT), or a 5xx (InternalError, SlowDown…); anything else as it is.
 */
export function markedS3Failure(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const status = httpStatus(error);
  const unavailable = error.name === 'TimeoutError' || isSocketError(error) || (status !== undefined && status >= 500);
  return unavailable ? new StorageUnavailableError(BLOB_STORE_UNAVAILABLE, `the blob store failed: ${error.message}`, { cause: error }) : error;
}
