import type {
  CreatedToken,
  CreateTokenRequest,
  DriftEntry,
  EnvironmentView,
  JsonObject,
  LoginAnswer,
  Permission,
  RegistryEndpoints,
  ReleaseView,
  RunningImage,
  TokenView,
  Whoami,
} from './api-types.js';
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

  // Environments and releases.

  createEnvironment(input: CreateEnvironmentRequest): Promise<{ environment: EnvironmentView; token: CreatedToken | null }> {
    return this.api.request('POST', '/api/v1/environments', input) as Promise<{ environment: EnvironmentView; token: CreatedToken | null }>;
  }

  async listEnvironments(): Promise<EnvironmentView[]> {
    return ((await this.api.request('GET', '/api/v1/environments')) as { environments: EnvironmentView[] }).environments;
  }

  /** The environment's profile, with its tokens. */
  environment(name: string): Promise<EnvironmentView & { tokens: TokenView[] }> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}`) as Promise<EnvironmentView & { tokens: TokenView[] }>;
  }

  timeline(name: string, query: Record<string, string> = {}): Promise<{ environment: string; deployments: RunningImage[]; nextCursor: string | null }> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/deployments${queryString(query)}`) as Promise<{
      environment: string;
      deployments: RunningImage[];
      nextCursor: string | null;
    }>;
  }

  state(name: string): Promise<{ environment: string; repositories: RunningImage[] }> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/state`) as Promise<{ environment: string; repositories: RunningImage[] }>;
  }

  drift(name: string): Promise<{ environment: string; repositories: DriftEntry[] }> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/drift`) as Promise<{ environment: string; repositories: DriftEntry[] }>;
  }

  compareEnvironments(a: string, b: string): Promise<EnvironmentComparison> {
    return this.api.request('GET', `/api/v1/environments/compare${queryString({ a, b })}`) as Promise<EnvironmentComparison>;
  }

  createRelease(input: JsonObject): Promise<ReleaseView> {
    return this.api.request('POST', '/api/v1/releases', input) as Promise<ReleaseView>;
  }

  listReleases(query: Record<string, string> = {}): Promise<{ releases: ReleaseView[]; nextBefore: number | null }> {
    return this.api.request('GET', `/api/v1/releases${queryString(query)}`) as Promise<{ releases: ReleaseView[]; nextBefore: number | null }>;
  }

  release(id: string): Promise<ReleaseView> {
    return this.api.request('GET', `/api/v1/releases/${seg(id)}`) as Promise<ReleaseView>;
  }
}

export interface CreateEnvironmentRequest {
  name: string;
  description?: string;
  color?: string;
  /** Also create the environment's first token (read-only unless said otherwise). */
  token?: { name?: string; permission?: Permission; expiresAt?: string | null };
}

export interface EnvironmentComparison {
  a: string;
  b: string;
  repositories: { repository: string; a: RunningImage | null; b: RunningImage | null }[];
}

function queryString(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
}
