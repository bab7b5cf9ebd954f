import type { ErrorCode } from '../core/errors.js';

/**
 * The HTTP status each core error code stands for. The management API, npm and PyPI answer with these
 * statuses and differ only in their bodies; OCI maps codes to the distribution spec's own vocabulary in
 * src/protocols/oci/errors.ts.
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
  insufficient_storage: 507,
  login_expired: 410,
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

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code];
}
