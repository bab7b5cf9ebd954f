import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import { httpStatusOf } from '../../http/http-status.js';

export interface NpmErrorBody {
  error: string;
}

/**
 * npm's wire format for failures: `{"error": "<message>"}`, which the npm CLI prints after the status
 * (`E403 … - This token is read-only: …`). Never `WWW-Authenticate: OTP`: npm would ask for a one-time
 * password that does not exist here.
 */
export function sendNpmError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const tooLarge = () => reply.status(413).send({ error: tooLargeMessage(request.routeOptions.bodyLimit) });
  // The kit refuses a declared length above the limit before reading; Fastify counts the bytes of the rest.
  if (isAppError(error) && error.code === 'payload_too_large') return tooLarge();
  if (isAppError(error)) {
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    return reply.status(httpStatusOf(error.code)).send({ error: error.message } satisfies NpmErrorBody);
  }
  const framework = error as FastifyError;
  if (framework.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge();
  const status = framework.statusCode;
  if (status && status >= 400 && status < 500) return reply.status(status).send({ error: error.message });
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: 'Internal server error' });
}

/** The route's own limit, and the setting that raises the publish limit (the others are small by design). */
function tooLargeMessage(limit: number | undefined): string {
  const size = limit === undefined ? '' : limit >= 1024 * 1024 ? ` (${Math.round(limit / (1024 * 1024))} MB)` : ` (${Math.round(limit / 1024)} KiB)`;
  return `Request body is larger than this endpoint accepts${size}; publishes take up to FLY_NPM_MAX_BODY_MB`;
}
