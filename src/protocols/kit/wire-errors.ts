import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type AppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

/** Writes one failure in a protocol's wire format: its status, its message, its challenge on a 401. */
export type SendWireError = (reply: FastifyReply, status: number, message: string, error?: AppError) => FastifyReply;

/**
 * A protocol's `sendError` (kit/mount.ts) from its one wire writer: core's errors get their HTTP status
 * (`statusOf` lets a protocol say otherwise, e.g. GOPROXY's 404 for a malformed read) and `Retry-After`,
 * Fastify's own 4xx keep their status, anything else is logged and answered 500 without detail.
 */
export function wireErrors(send: SendWireError, statusOf: (error: AppError, request: FastifyRequest) => number = (error) => httpStatusOf(error.code)) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isAppError(error)) {
      if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
      return send(reply, statusOf(error, request), error.message, error);
    }
    const status = (error as FastifyError | undefined)?.statusCode;
    if (status && status >= 400 && status < 500) return send(reply, status, (error as Error).message);
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'internal server error');
  };
}
