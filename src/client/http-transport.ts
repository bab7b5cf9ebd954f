import { apiErrorFrom, decodeBody, type ApiTransport } from './transport.js';

/** The management API over HTTP, authenticated by a session token sent as `Authorization: Bearer`. */
export class HttpTransport implements ApiTransport {
  constructor(
    private readonly baseUrl: URL,
    private readonly bearer: string | null,
    private readonly userAgent: string,
  ) {}

  async request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), withSlash(this.baseUrl));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      // fetch hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new Error(`cannot reach ${this.baseUrl.origin}: ${cause}`);
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFrom(response.status, text);
    return decodeBody(text);
  }
}

export function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}
