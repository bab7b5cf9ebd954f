/**
 * The one way Fly Web talks to the server: same-origin JSON requests to /api/v1. The session lives in
 * the HttpOnly cookie the browser sends by itself; the CSRF token is held here, in memory only, and sent
 * on every write. Nothing secret is ever written to browser storage.
 */

/** An error answered by the API, carrying its own human-readable message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Set from the login answer and from GET /api/v1/whoami; cleared on logout. */
export function setCsrfToken(value: string | null): void {
  csrfToken = value;
}

/** Listeners told when the server says the session is gone, so the app can show the login page. */
const sessionLostListeners = new Set<() => void>();
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { issues?: { path: string; message: string }[] } };
}

function describeFailure(status: number): string {
  if (status >= 500) return 'The server ran into a problem. Try again in a moment.';
  if (status === 404) return 'Not found.';
  return `The server refused the request (HTTP ${status}).`;
}

export async function apiRequest<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return parsed as T;

  const error = (parsed as ErrorBody | null)?.error;
  const apiError = new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? describeFailure(response.status),
    error?.details?.issues ?? [],
  );
  // A session that expired or was logged out elsewhere: back to the login page (but not for the
  // login request itself, whose 401 means a wrong password).
  if ((apiError.code === 'session_invalid' || apiError.code === 'unauthenticated') && path !== '/api/v1/auth/login') {
    for (const listener of sessionLostListeners) listener();
  }
  throw apiError;
}
