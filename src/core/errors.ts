/**
 * The registry of error codes core can raise. Core throws only these; each protocol maps a code to its
 * own wire format (status + body) in its own errors.ts. Handlers never invent status codes.
 */
export type ErrorCode =
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'token_unknown'
  | 'token_username_mismatch'
  | 'token_expired'
  | 'token_revoked'
  | 'session_invalid'
  | 'user_inactive'
  | 'csrf_required'
  | 'forbidden'
  | 'read_only'
  | 'not_found'
  | 'conflict'
  | 'token_still_active'
  | 'validation'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable'
  | 'insufficient_storage'
  | 'login_expired'
  // Artifact content (raised by the OCI registry; other protocols may reuse them).
  | 'name_invalid'
  | 'name_unknown'
  | 'tag_invalid'
  | 'digest_invalid'
  | 'manifest_invalid'
  | 'manifest_unknown'
  | 'manifest_blob_unknown'
  | 'blob_unknown'
  | 'upload_unknown'
  | 'upload_invalid'
  | 'range_invalid'
  | 'size_invalid'
  | 'unsupported';

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { issues?: FieldIssue[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const Errors = {
  unauthenticated: (message = 'Authentication required') => new AppError('unauthenticated', message),
  invalidCredentials: () => new AppError('invalid_credentials', 'Invalid username or password'),
  tokenUnknown: () => new AppError('token_unknown', 'Unknown token: it does not exist or was deleted'),
  /** A password where a registry token belongs (the same code as an unknown token, so every protocol maps it alike). */
  passwordNotToken: () =>
    new AppError(
      'token_unknown',
      'Registries take a Fly token, not your account password: create one in Fly Web (Tokens → Create token) or with ' +
        '`flyreg token create --name <name> --permission read-write`, then log in with its username (or __token__) and the token as the password',
    ),
  tokenUsernameMismatch: () =>
    new AppError('token_username_mismatch', 'Wrong username for this token: use the token username, its creator, or __token__'),
  tokenExpired: (at: Date) => new AppError('token_expired', `Token expired at ${at.toISOString()}`, { expiredAt: at.toISOString() }),
  tokenRevoked: (at: Date) => new AppError('token_revoked', `Token was revoked at ${at.toISOString()}`, { revokedAt: at.toISOString() }),
  /** A secret a rotation replaced, once its overlap has ended: refused exactly as a revoked token is (same code). */
  secretRetired: (at: Date) =>
    new AppError('token_revoked', `This token secret was replaced by a rotation and stopped working at ${at.toISOString()}: use the new secret`, {
      revokedAt: at.toISOString(),
    }),
  sessionInvalid: () => new AppError('session_invalid', 'Session expired or logged out: log in again'),
  userInactive: (username: string) => new AppError('user_inactive', `User ${username} is deactivated`),
  csrfRequired: () =>
    new AppError('csrf_required', 'Missing or wrong X-CSRF-Token header: cookie-authenticated writes need the CSRF token from login'),
  forbidden: (message: string) => new AppError('forbidden', message),
  readOnly: (what: string) => new AppError('read_only', `This token is read-only: it cannot ${what}`),
  notFound: (kind: string, id: string) => new AppError('not_found', `${kind} ${JSON.stringify(id)} not found`, { kind }),
  /** Unknown, or no longer usable: the holder of the link learns which, nobody learns anything about other links. */
  shareLinkEnded: (why: 'unknown' | 'expired' | 'revoked' | 'used-up') =>
    new AppError(
      'not_found',
      why === 'unknown'
        ? 'This share link is invalid'
        : why === 'expired'
          ? 'This share link has expired'
          : why === 'revoked'
            ? 'This share link was revoked'
            : 'This share link has reached its download limit',
      { kind: 'Share link' },
    ),
  invitationInvalid: () => new AppError('not_found', 'This invitation link is invalid, expired or already used', { kind: 'Invitation' }),
  conflict: (message: string) => new AppError('conflict', message),
  tokenStillActive: () =>
    new AppError('token_still_active', 'Only expired or revoked tokens can be deleted: revoke this token first'),
  validation: (message: string, issues: FieldIssue[] = []) => new AppError('validation', message, { issues }),
  rateLimited: (retryAfterSeconds: number, what = 'failed authentication attempts') =>
    new AppError('rate_limited', `Too many ${what}: retry in ${retryAfterSeconds} s`, { retryAfterSeconds }),
  /** A credential holding its cap of open OCI upload sessions (FLY_OCI_MAX_UPLOADS): 429, as Docker Hub answers a push it throttles. */
  tooManyUploads: (limit: number) =>
    new AppError(
      'rate_limited',
      `This credential already has ${limit} blob upload sessions open (the limit, FLY_OCI_MAX_UPLOADS): finish or cancel some; abandoned ones are reclaimed after FLY_UPLOAD_ABANDON_SECONDS`,
      { retryAfterSeconds: 30 },
    ),
  payloadTooLarge: (limitBytes: number) => new AppError('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes`),
  unavailable: (message: string) => new AppError('unavailable', message),
  /** The disk (or database) is full or read-only: nothing of the write was kept, and retrying later may work. */
  insufficientStorage: (cause: string) =>
    new AppError('insufficient_storage', `The registry cannot store this now: ${cause}. Nothing was stored; retry once its storage has room again`, {
      retryAfterSeconds: 60,
    }),
  /**
   * An OIDC ID token the exchange refuses. It counts as a failed authentication (rate limited like a wrong
   * password); `reason` is a stable word for scripts, the message says what to fix.
   */
  idTokenRefused: (reason: string, why: string) => new AppError('invalid_credentials', `ID token refused: ${why}`, { reason }),
  npmWebLoginUnknown: () =>
    new AppError('not_found', 'Unknown npm login request, or wrong secret: run npm login again', { kind: 'npm login request' }),
  /** A web login that can no longer give a token; the message is what npm shows its user. */
  npmWebLoginEnded: (state: 'approved' | 'denied' | 'expired' | 'consumed' | 'pending') => {
    if (state === 'denied') return new AppError('forbidden', 'This npm login was denied in Fly Registry: no token was created');
    if (state === 'expired') return new AppError('login_expired', 'This npm login request expired before it was approved: run npm login again');
    return new AppError('conflict', `This npm login request is already ${state === 'consumed' ? 'used: its token was issued' : state}`);
  },

  nameInvalid: (name: string, why: string) => new AppError('name_invalid', `Invalid repository name ${JSON.stringify(name)}: ${why}`),
  nameUnknown: (name: string) => new AppError('name_unknown', `Repository ${JSON.stringify(name)} does not exist`),
  tagInvalid: (tag: string) =>
    new AppError('tag_invalid', `Invalid tag ${JSON.stringify(tag)}: use up to 128 of [A-Za-z0-9_.-], not starting with . or -`),
  digestInvalid: (message: string) => new AppError('digest_invalid', message),
  manifestInvalid: (message: string) => new AppError('manifest_invalid', message),
  manifestUnknown: (name: string, reference: string) =>
    new AppError('manifest_unknown', `Manifest ${JSON.stringify(reference)} not found in repository ${JSON.stringify(name)}`),
  manifestBlobUnknown: (digest: string, what: string) =>
    new AppError('manifest_blob_unknown', `The manifest references ${what} ${digest}, which this repository does not have: push it first`),
  blobUnknown: (name: string, digest: string) =>
    new AppError('blob_unknown', `Blob ${digest} not found in repository ${JSON.stringify(name)}`),
  uploadUnknown: (id: string) => new AppError('upload_unknown', `Upload ${JSON.stringify(id)} not found: it was completed, cancelled or never started`),
  uploadInvalid: (message: string) => new AppError('upload_invalid', message),
  /** `size` is what the server holds (an upload's received bytes or a blob's length), for the Range reply. */
  rangeInvalid: (message: string, size: number, upload: boolean) => new AppError('range_invalid', message, { size, upload }),
  sizeInvalid: (message: string) => new AppError('size_invalid', message),
  unsupported: (message: string) => new AppError('unsupported', message),
  /** An endpoint exists but not with this method; `allow` lists the methods it takes. */
  methodNotAllowed: (method: string, allow: string[]) =>
    new AppError('unsupported', `${method} is not supported here: use ${allow.join(', ')}`, { allow }),
};
