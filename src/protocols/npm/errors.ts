import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type ErrorCode } from '../../core/errors.js';

/**
 * npm's wire format for failures: `{"error": "<message>"}`, which the npm CLI prints after the status
 * (`E403 … - This token is read-only: …`). Never `WWW-Authenticate: OTP`: npm would ask for a one-time
 * password that does not exist here.
 */
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
  // Artifact-content codes (added with the OCI registry); npm's own checks raise validation instead.
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

export interface NpmErrorBody {
  error: string;
}

export function sendNpmError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply, maxBodyBytes: number): FastifyReply {
  if (isAppError(error)) {
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    return reply.status(STATUS[error.code]).send({ error: error.message } satisfies NpmErrorBody);
  }
  const framework = error as FastifyError;
  if (framework.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const mb = Math.round(maxBodyBytes / (1024 * 1024));
    return reply.status(413).send({ error: `Request body is larger than the npm limit of ${mb} MB (FLY_NPM_MAX_BODY_MB)` });
  }
  const status = framework.statusCode;
  if (status && status >= 400 && status < 500) return reply.status(status).send({ error: error.message });
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: 'Internal server error' });
}
