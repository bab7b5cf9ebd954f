import type { FastifyRequest } from 'fastify';
import type { Core } from '../core/core.js';
import { Errors, type AppError } from '../core/errors.js';
import { storageFailureOf } from '../core/storage-failure.js';

/**
 * The one place a full or read-only disk (or database) becomes core's insufficient_storage error, which each
 * protocol answers in its own format (507 where the protocol has it): every error handler passes what it
 * caught through here first. The log names the real cause (ENOSPC, SQLITE_FULL…) and readiness is told.
 */
export function answerStorageFailure<E>(core: Core, error: E, request: FastifyRequest): E | AppError {
  const failure = storageFailureOf(error);
  if (!failure) return error;
  core.storageHealth.recordFailure(failure);
  request.log.error({ err: error, storageFailure: failure.code }, `storage cannot be written: ${failure.cause}`);
  return Errors.insufficientStorage(failure.cause);
}
