import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type ErrorCode } from '../core/errors.js';

/** The management API's mapping from core error codes to HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  invalid_credentials: 401,
  token_unknown: 401,
  token_username_mismatch: 401,
  token_expired: 401,
  token_revoked: 401,
  session_invalid: 401,
  user_inactive: 403,
  csrf_required: 403,
  forbidden: 403,
  read_only: 403,
  not_found: 404,
  conflict: 409,
  token_still_active: 409,
  validation: 400,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
  name_invalid: 400,
  name_unknown: 404,
  tag_invalid: 400,
  digest_invalid: 400,
  manifest_invalid: 400,
  manifest_unknown: 404,
  manifest_blob_unknown: 400,
  blob_unknown: 404,
  upload_unknown: 404,
  upload_invalid: 400,
  range_invalid: 416,
  size_invalid: 400,
  unsupported: 415,
};

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
    return reply.status(STATUS[error.code]).send(body);
  }
  const client = frameworkClientError(error as FastifyError);
  if (client) return reply.status(client.status).send({ error: { code: client.code, message: client.message } });
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'internal', message: 'Internal server error' } });
}
