import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type ErrorCode } from '../../core/errors.js';

/** The distribution spec's error codes (plus the ones distribution itself added and clients know). */
export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'PAGINATION_NUMBER_INVALID'
  | 'RANGE_INVALID'
  | 'UNAVAILABLE';

/** Core's error registry in the registry's own vocabulary: one place, one table. */
const MAPPING: Record<ErrorCode, { status: number; code: OciErrorCode }> = {
  unauthenticated: { status: 401, code: 'UNAUTHORIZED' },
  invalid_credentials: { status: 401, code: 'UNAUTHORIZED' },
  token_unknown: { status: 401, code: 'UNAUTHORIZED' },
  token_username_mismatch: { status: 401, code: 'UNAUTHORIZED' },
  token_expired: { status: 401, code: 'UNAUTHORIZED' },
  token_revoked: { status: 401, code: 'UNAUTHORIZED' },
  session_invalid: { status: 401, code: 'UNAUTHORIZED' },
  user_inactive: { status: 401, code: 'UNAUTHORIZED' },
  csrf_required: { status: 403, code: 'DENIED' },
  forbidden: { status: 403, code: 'DENIED' },
  read_only: { status: 403, code: 'DENIED' },
  not_found: { status: 404, code: 'UNSUPPORTED' },
  conflict: { status: 409, code: 'DENIED' },
  token_still_active: { status: 409, code: 'DENIED' },
  validation: { status: 400, code: 'PAGINATION_NUMBER_INVALID' },
  rate_limited: { status: 429, code: 'TOOMANYREQUESTS' },
  payload_too_large: { status: 413, code: 'MANIFEST_INVALID' },
  unavailable: { status: 503, code: 'UNAVAILABLE' },
  // The spec has no code for it; distribution's UNAVAILABLE, with WebDAV's 507 Insufficient Storage.
  insufficient_storage: { status: 507, code: 'UNAVAILABLE' },
  login_expired: { status: 410, code: 'DENIED' },
  name_invalid: { status: 400, code: 'NAME_INVALID' },
  name_unknown: { status: 404, code: 'NAME_UNKNOWN' },
  tag_invalid: { status: 400, code: 'TAG_INVALID' },
  digest_invalid: { status: 400, code: 'DIGEST_INVALID' },
  manifest_invalid: { status: 400, code: 'MANIFEST_INVALID' },
  manifest_unknown: { status: 404, code: 'MANIFEST_UNKNOWN' },
  manifest_blob_unknown: { status: 400, code: 'MANIFEST_BLOB_UNKNOWN' },
  blob_unknown: { status: 404, code: 'BLOB_UNKNOWN' },
  upload_unknown: { status: 404, code: 'BLOB_UPLOAD_UNKNOWN' },
  upload_invalid: { status: 400, code: 'BLOB_UPLOAD_INVALID' },
  range_invalid: { status: 416, code: 'RANGE_INVALID' },
  size_invalid: { status: 400, code: 'SIZE_INVALID' },
  unsupported: { status: 415, code: 'UNSUPPORTED' },
};

export interface OciErrorBody {
  errors: { code: OciErrorCode; message: string; detail?: unknown }[];
}

/** What a 401 must say so that clients know where to get a token (and for which scope). */
export interface Challenge {
  realm: string;
  service: string;
  scope?: string;
}

export function bearerChallenge(c: Challenge): string {
  const parts = [`realm="${c.realm}"`, `service="${c.service}"`];
  if (c.scope) parts.push(`scope="${c.scope}"`);
  return `Bearer ${parts.join(',')}`;
}

/**
 * Formats any error as `{"errors":[…]}` with the spec's status; unknown errors are logged and hidden.
 * `challenge` is the WWW-Authenticate value a 401 carries.
 */
export function sendOciError(error: unknown, request: FastifyRequest, reply: FastifyReply, challenge: string | null): FastifyReply {
  if (isAppError(error)) {
    const { status: mappedStatus, code: mapped } = MAPPING[error.code];
    const allow = error.details.allow;
    const status = Array.isArray(allow) ? 405 : mappedStatus;
    if (Array.isArray(allow)) void reply.header('allow', allow.join(', '));
    const code = error.code === 'range_invalid' && error.details.upload === true ? 'BLOB_UPLOAD_INVALID' : mapped;
    if (status === 401 && challenge) void reply.header('www-authenticate', challenge);
    if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
    if (error.code === 'range_invalid' && typeof error.details.size === 'number') {
      const size = error.details.size;
      if (error.details.upload === true) void reply.header('range', `0-${Math.max(size - 1, 0)}`);
      else void reply.header('content-range', `bytes */${size}`);
    }
    return reply.status(status).send(body(code, error.message));
  }
  const framework = error as FastifyError;
  if (framework.statusCode === 415 || framework.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.status(415).send(body('UNSUPPORTED', 'The Content-Type header is malformed'));
  }
  if (framework.code === 'ERR_STREAM_PREMATURE_CLOSE' || framework.code === 'ECONNRESET' || framework.name === 'AbortError') {
    // The client went away mid-body: there is nobody left to answer.
    request.log.info({ url: request.url }, 'client aborted the request');
    return reply.status(400).send(body('BLOB_UPLOAD_INVALID', 'The request body ended early'));
  }
  request.log.error({ err: error }, 'unhandled registry error');
  return reply.status(500).send(body('UNAVAILABLE', 'Internal server error'));
}

export function body(code: OciErrorCode, message: string, detail?: unknown): OciErrorBody {
  return { errors: [detail === undefined ? { code, message } : { code, message, detail }] };
}
