import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type AppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

/** The realm `go` sees on a 401 (it then retries with GOAUTH / .netrc credentials). */
export const GO_CHALLENGE = 'Basic realm="Fly Registry"';

/**
 * GOPROXY errors are plain text, which `go` prints as "server response: …". 404 and 410 mean "not here":
 * with a proxy list `go` tries the next one; any other status stops it. A malformed path or version on a
 * read is a "not found" too, as the Go module mirror answers.
 */
export function sendGoError(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', GO_CHALLENGE);
  return reply.status(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}

function statusOf(error: AppError, method: string): number {
  if (error.code === 'validation' && method === 'GET') return 404;
  return httpStatusOf(error.code);
}

export function goErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    const status = statusOf(error, request.method);
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    return sendGoError(reply, status, status === 404 ? `not found: ${error.message}` : error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return sendGoError(reply, status, error.message);
  request.log.error({ err: error }, 'unhandled error');
  return sendGoError(reply, 500, 'internal server error');
}
