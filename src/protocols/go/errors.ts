import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';
import { wireErrors } from '../kit/wire-errors.js';

/** The realm `go` sees on a 401 (it then retries with GOAUTH / .netrc credentials). */
export const GO_CHALLENGE = 'Basic realm="Fly Registry"';

/**
 * GOPROXY errors are plain text, which `go` prints as "server response: …". 404 and 410 mean "not here":
 * with a proxy list `go` tries the next one; any other status stops it.
 */
export function sendGoError(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', GO_CHALLENGE);
  return reply.status(status).type('text/plain; charset=utf-8').send(`${status === 404 ? 'not found: ' : ''}${message}\n`);
}

/** A malformed path or version on a read is a "not found", as the Go module mirror answers. */
function statusOf(error: AppError, request: FastifyRequest): number {
  if (error.code === 'validation' && request.method === 'GET') return 404;
  return httpStatusOf(error.code);
}

export const sendGoFailure = wireErrors(sendGoError, statusOf);
