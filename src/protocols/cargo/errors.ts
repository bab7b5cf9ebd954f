import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

/**
 * Cargo's error format: `{"errors":[{"detail":"…"}]}`, which cargo prints after the status
 * ("the remote server responded with an error (status 403 Forbidden): …"). A 401 carries the
 * `Cargo` challenge that makes cargo send its token.
 */
export function sendCargoError(reply: FastifyReply, status: number, detail: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Cargo');
  return reply.status(status).type('application/json').send({ errors: [{ detail }] });
}

export function cargoErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    return sendCargoError(reply, httpStatusOf(error.code), error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return sendCargoError(reply, status, error.message);
  request.log.error({ err: error }, 'unhandled error');
  return sendCargoError(reply, 500, 'internal server error');
}
