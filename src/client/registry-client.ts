import type { CreatedToken, CreateTokenRequest, JsonObject, LoginAnswer, RegistryEndpoints, TokenView, Whoami } from './api-types.js';
import type { ApiTransport } from './transport.js';

const seg = encodeURIComponent;

/** Typed calls to the management API, shared by the CLI and the MCP tools. */
export class RegistryClient {
  constructor(private readonly api: ApiTransport) {}

  login(username: string, password: string): Promise<LoginAnswer> {
    return this.api.request('POST', '/api/v1/auth/login', { username, password }) as Promise<LoginAnswer>;
  }

  async logout(): Promise<void> {
    await this.api.request('POST', '/api/v1/auth/logout');
  }

  whoami(): Promise<Whoami> {
    return this.api.request('GET', '/api/v1/whoami') as Promise<Whoami>;
  }

  endpoints(): Promise<RegistryEndpoints> {
    return this.api.request('GET', '/api/v1/endpoints') as Promise<RegistryEndpoints>;
  }

  async listTokens(): Promise<TokenView[]> {
    const answer = (await this.api.request('GET', '/api/v1/tokens')) as { tokens: TokenView[] };
    return answer.tokens;
  }

  getToken(id: string): Promise<TokenView> {
    return this.api.request('GET', `/api/v1/tokens/${seg(id)}`) as Promise<TokenView>;
  }

  createToken(input: CreateTokenRequest): Promise<CreatedToken> {
    return this.api.request('POST', '/api/v1/tokens', input) as Promise<CreatedToken>;
  }

  revokeToken(id: string): Promise<{ token: TokenView; alreadyRevoked: boolean; message: string }> {
    return this.api.request('POST', `/api/v1/tokens/${seg(id)}/revoke`) as Promise<{ token: TokenView; alreadyRevoked: boolean; message: string }>;
  }

  async deleteToken(id: string): Promise<void> {
    await this.api.request('DELETE', `/api/v1/tokens/${seg(id)}`);
  }

  // Environments and releases (issue 6): answers are passed through as the API shapes them.

  createEnvironment(input: { name: string; description?: string; color?: string }): Promise<JsonObject> {
    return this.api.request('POST', '/api/v1/environments', input) as Promise<JsonObject>;
  }

  listEnvironments(): Promise<JsonObject> {
    return this.api.request('GET', '/api/v1/environments') as Promise<JsonObject>;
  }

  environment(name: string): Promise<JsonObject> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}`) as Promise<JsonObject>;
  }

  /** `deployments` (the timeline), `state` (what runs now) or `drift` (against the latest releases). */
  environmentView(name: string, view: 'deployments' | 'state' | 'drift'): Promise<JsonObject> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/${view}`) as Promise<JsonObject>;
  }

  compareEnvironments(a: string, b: string): Promise<JsonObject> {
    return this.api.request('GET', `/api/v1/environments/compare?${new URLSearchParams({ a, b })}`) as Promise<JsonObject>;
  }

  createRelease(input: JsonObject): Promise<JsonObject> {
    return this.api.request('POST', '/api/v1/releases', input) as Promise<JsonObject>;
  }

  listReleases(filter: Record<string, string> = {}): Promise<JsonObject> {
    const query = new URLSearchParams(filter).toString();
    return this.api.request('GET', `/api/v1/releases${query ? `?${query}` : ''}`) as Promise<JsonObject>;
  }

  release(id: string): Promise<JsonObject> {
    return this.api.request('GET', `/api/v1/releases/${seg(id)}`) as Promise<JsonObject>;
  }
}
