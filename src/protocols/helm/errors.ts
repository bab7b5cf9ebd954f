import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

/** The realm helm sees on a 401 (helm repo add --username/--password sends Basic credentials). */
export const HELM_CHALLENGE = 'Basic realm="Fly Registry"';

/** ChartMuseum's error body, `{"error":"…"}`, which helm and the cm-push plugin print. */
export function sendHelmError(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', HELM_CHALLENGE);
  return reply.status(status).type('application/json').send({ error: message });
}

export function helmErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    return sendHelmError(reply, httpStatusOf(error.code), error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return sendHelmError(reply, status, error.message);
  request.log.error({ err: error }, 'unhandled error');
  return sendHelmError(reply, 500, 'internal server error');
}
