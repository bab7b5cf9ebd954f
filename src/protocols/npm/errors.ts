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
export function sendNpmError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply, maxBodyBytes: number): FastifyReply {
  const tooLarge = () => reply.status(413).send({ error: `Request body is larger than the npm limit of ${Math.round(maxBodyBytes / (1024 * 1024))} MB (FLY_NPM_MAX_BODY_MB)` });
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
