/**
 * How a client reaches the management API. The CLI and `flyreg mcp` use HTTP (fetch); the server's own
 * `/mcp` endpoint uses an in-process transport. Both speak the same routes with the same session, so the
 * API's authorization and error messages apply unchanged whichever way a request arrives.
 */
export interface ApiTransport {
  /** Sends one request; resolves with the decoded JSON body of a 2xx answer, else throws ApiError. */
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
}

/** A refusal or failure the API answered with: carries the API's own code and reason. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a non-2xx answer into an ApiError with the API's `{"error":{code,message}}` reason when there is one. */
export function apiErrorFrom(status: number, bodyText: string): ApiError {
  try {
    const parsed = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof message === 'string') return new ApiError(status, typeof code === 'string' ? code : 'error', message);
  } catch {
    /* not the API's JSON: fall through to a generic reason */
  }
  const excerpt = bodyText.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new ApiError(status, 'http_error', `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`);
}

/** Decodes a successful answer's body (empty → null). */
export function decodeBody(bodyText: string): unknown {
  return bodyText ? (JSON.parse(bodyText) as unknown) : null;
}
