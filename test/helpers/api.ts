import type { CreatedToken } from '../../src/api/answers.js';
import type { TestServer } from './server.js';

export type { CreatedToken };

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small JSON client for the management API, authenticated by a bearer secret (session or token). */
export class ApiClient {
  constructor(
    readonly server: TestServer,
    readonly bearer?: string,
  ) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = {};
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    // Explicit headers win, so a test can send another credential or content type.
    Object.assign(h, headers);
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }

  patch<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = Record<string, unknown>>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Creates a token and fails loudly if the server refuses. */
  async createToken(input: { name: string; permission: 'read-only' | 'read-write'; expiresAt?: string | null; [k: string]: unknown }): Promise<CreatedToken> {
    const res = await this.post<CreatedToken>('/api/v1/tokens', { expiresAt: null, ...input });
    if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/** The error body every management API failure carries. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** `Authorization: Basic …` for a username and secret. */
export function basicAuth(username: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` };
}

/** Logs in and returns a client holding the session token. */
export async function login(server: TestServer, username = server.admin.username, password = server.admin.password): Promise<ApiClient> {
  const res = await new ApiClient(server).post<{ sessionToken: string }>('/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return new ApiClient(server, res.body.sessionToken);
}

/** Invites a user as the given admin and accepts the invitation; returns a logged-in client for them. */
export async function createUser(admin: ApiClient, username: string, role: 'admin' | 'developer' = 'developer'): Promise<ApiClient> {
  const invite = await admin.post<{ invitationToken: string }>('/api/v1/users', { username, email: `${username}@example.com`, role });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const password = `pw-${username}-0123456789`;
  const accept = await new ApiClient(admin.server).post('/api/v1/invitations/accept', { token: invite.body.invitationToken, password });
  if (accept.status !== 200) throw new Error(`accept failed: ${accept.status} ${JSON.stringify(accept.body)}`);
  return login(admin.server, username, password);
}
