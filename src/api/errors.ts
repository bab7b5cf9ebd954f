import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../core/errors.js';
import { httpStatusOf } from '../http/http-status.js';

/** The HTTP status the management API answers a core error code with (also used by /mcp's refusals). */
export { httpStatusOf };

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status. */
function frameworkClientError(error: FastifyError): { status: number; code: string; message: string } | null {
  const status = error.statusCode;
  if (!status || status < 400 || status >= 500) return null;
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, code: 'validation', message: 'Request body is not valid JSON' };
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, code: 'validation', message: 'Request body is empty: send a JSON object' };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'payload_too_large', message: 'Request body is too large' };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, code: 'unsupported_media_type', message: 'Send the request body as application/json' };
  }
  return { status, code: 'bad_request', message: error.message };
}

export function sendApiError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(error)) {
    const { retryAfterSeconds, ...details } = error.details;
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (Object.keys(details).length > 0) body.error.details = details;
    return reply.status(httpStatusOf(error.code)).send(body);
  }
  const client = frameworkClientError(error as FastifyError);
  if (client) return reply.status(client.status).send({ error: { code: client.code, message: client.message } });
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'internal', message: 'Internal server error' } });
}
