/** A socket's own errno code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ENOTFOUND, EAI_AGAIN…). */
const ERRNO = /^E[A-Z_]+$/;

/**
 * Whether `error` is the failure of a socket to a storage server (the database, the S3 store): said by the
 * adapter that opened the socket, since the same code from anywhere else (the client's own connection) says
 * nothing about storage.
 */
export function isSocketError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && ERRNO.test(code);
}
