import type { FastifyRequest } from 'fastify';
import type { Core } from '../core/core.js';
import { Errors, type AppError } from '../core/errors.js';
import { storageFailureOf } from '../core/storage-failure.js';

/**
 * The one place a storage failure becomes a core error, which each protocol answers in its own format: every
 * error handler passes what it caught through here first. A full or read-only disk (or database) is
 * insufficient_storage (507 where the protocol has it) and readiness is told; a database that cannot be
 * reached or did not answer in time is unavailable (503), for the client to retry. The log names the real
 * cause (ENOSPC, SQLITE_FULL, a timeout…); the client's message does not name hosts or addresses.
 */
export function answerStorageFailure<E>(core: Core, error: E, request: FastifyRequest): E | AppError {
  const failure = storageFailureOf(error);
  if (!failure) return error;
  if (failure.kind === 'unavailable') {
    request.log.error({ err: error, storageFailure: failure.code }, `storage is unavailable: ${failure.cause}`);
    return Errors.unavailable("The registry's storage is not answering right now; try again shortly.");
  }
  core.storageHealth.recordFailure(failure);
  request.log.error({ err: error, storageFailure: failure.code }, `storage cannot be written: ${failure.cause}`);
  return Errors.insufficientStorage(failure.cause);
}
