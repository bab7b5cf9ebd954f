import { describe, expect, it } from 'vitest';
import { storageFailureOf, StorageUnavailableError } from '../../core/storage-failure.js';
import { isS3NotFound, markedS3Failure } from './s3-errors.js';

/** An error shaped as the SDK throws it: a name, an HTTP status in $metadata, maybe a socket's code. */
const sdkError = (name: string, status?: number, code?: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...(code ? { code } : {}) });

describe('markedS3Failure', () => {
  it('marks what says the store is out of reach or failing: a timeout, a socket error, a 5xx', () => {
    for (const error of [sdkError('TimeoutError'), sdkError('Error', undefined, 'ECONNREFUSED'), sdkError('SlowDown', 503), sdkError('InternalError', 500)]) {
      const marked = markedS3Failure(error);
      expect(marked).toBeInstanceOf(StorageUnavailableError);
      expect(storageFailureOf(marked)).toMatchObject({ kind: 'unavailable', code: 'FLY_BLOB_STORE_UNAVAILABLE' });
    }
  });

  it("leaves the store's answers as they are: not found, a refused signature, a bad range", () => {
    for (const error of [sdkError('NoSuchKey', 404), sdkError('AccessDenied', 403), sdkError('InvalidRange', 416)]) expect(markedS3Failure(error)).toBe(error);
    expect(isS3NotFound(markedS3Failure(sdkError('NotFound', 404)))).toBe(true);
  });
});
