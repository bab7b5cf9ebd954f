import { apiErrorFrom, decodeBody, type ApiTransport } from './transport.js';

/** How long a request may wait for its answer unless FLYREG_TIMEOUT says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The management API over HTTP, authenticated by a session token sent as `Authorization: Bearer`. */
export class HttpTransport implements ApiTransport {
  /** `timeoutMs`: the longest wait for an answer, whole (a hung server must not hang `docker pull` in its helper). */
  constructor(
    private readonly baseUrl: URL,
    private readonly bearer: string | null,
    private readonly userAgent: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), withSlash(this.baseUrl));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
      text = await response.text();
    } catch (error) {
      throw new Error(`cannot reach ${this.baseUrl.origin}: ${signal.aborted ? `no answer within ${this.timeoutMs / 1000} s` : causeOf(error)}`);
    }
    if (!response.ok) throw apiErrorFrom(response.status, text);
    return decodeBody(text);
  }
}

export function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function causeOf(error: unknown): string {
  return error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
}
