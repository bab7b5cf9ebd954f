import type {
  CliLoginPoll,
  CliLoginStarted,
  CreatedEnvironment,
  CreatedToken,
  Comparison,
  DeploymentTimeline,
  EnvironmentDrift,
  Environment,
  EnvironmentList,
  EnvironmentProfile,
  EnvironmentState,
  HelperTokenAnswer,
  HelperTokensRevoked,
  LoginAnswer,
  Permission,
  RegistryEndpoints,
  Release,
  ReleasePage,
  RevokedToken,
  RotatedToken,
  Token,
  TokenList,
  TrustPolicy,
  TrustPolicyList,
  Whoami,
} from '../api/answers.js';
import type { ApiTransport } from './transport.js';

const seg = encodeURIComponent;

/** Typed calls to the management API, shared by the CLI and the MCP tools. */
export class RegistryClient {
  constructor(private readonly api: ApiTransport) {}

  login(username: string, password: string): Promise<LoginAnswer> {
    return this.api.request('POST', '/api/v1/auth/login', { username, password }) as Promise<LoginAnswer>;
  }

  /** `flyreg login` in the browser: open a request the user approves on the dashboard. */
  startCliLogin(hostname: string): Promise<CliLoginStarted> {
    return this.api.request('POST', '/api/v1/cli-logins', { hostname }) as Promise<CliLoginStarted>;
  }

  pollCliLogin(id: string, secret: string): Promise<CliLoginPoll> {
    return this.api.request('POST', `/api/v1/cli-logins/${seg(id)}/poll`, { secret }) as Promise<CliLoginPoll>;
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

  async listTokens(): Promise<Token[]> {
    const answer = (await this.api.request('GET', '/api/v1/tokens')) as TokenList;
    return answer.tokens;
  }

  getToken(id: string): Promise<Token> {
    return this.api.request('GET', `/api/v1/tokens/${seg(id)}`) as Promise<Token>;
  }

  createToken(input: CreateTokenRequest): Promise<CreatedToken> {
    return this.api.request('POST', '/api/v1/tokens', input) as Promise<CreatedToken>;
  }

  revokeToken(id: string): Promise<RevokedToken> {
    return this.api.request('POST', `/api/v1/tokens/${seg(id)}/revoke`) as Promise<RevokedToken>;
  }

  /** A new secret for the same token; the old one works for `overlapSeconds` more (server default: a day). */
  rotateToken(id: string, overlapSeconds?: number): Promise<RotatedToken> {
    return this.api.request('POST', `/api/v1/tokens/${seg(id)}/rotate`, overlapSeconds === undefined ? {} : { overlapSeconds }) as Promise<RotatedToken>;
  }

  async deleteToken(id: string): Promise<void> {
    await this.api.request('DELETE', `/api/v1/tokens/${seg(id)}`);
  }

  // Environments and releases.

  createEnvironment(input: CreateEnvironmentRequest): Promise<CreatedEnvironment> {
    return this.api.request('POST', '/api/v1/environments', input) as Promise<CreatedEnvironment>;
  }

  async listEnvironments(): Promise<Environment[]> {
    return ((await this.api.request('GET', '/api/v1/environments')) as EnvironmentList).environments;
  }

  /** The environment's profile, with its tokens. */
  environment(name: string): Promise<EnvironmentProfile> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}`) as Promise<EnvironmentProfile>;
  }

  timeline(name: string, query: Record<string, string> = {}): Promise<DeploymentTimeline> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/deployments${queryString(query)}`) as Promise<DeploymentTimeline>;
  }

  state(name: string): Promise<EnvironmentState> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/state`) as Promise<EnvironmentState>;
  }

  drift(name: string): Promise<EnvironmentDrift> {
    return this.api.request('GET', `/api/v1/environments/${seg(name)}/drift`) as Promise<EnvironmentDrift>;
  }

  compareEnvironments(a: string, b: string): Promise<Comparison> {
    return this.api.request('GET', `/api/v1/environments/compare${queryString({ a, b })}`) as Promise<Comparison>;
  }

  createRelease(input: Record<string, unknown>): Promise<Release> {
    return this.api.request('POST', '/api/v1/releases', input) as Promise<Release>;
  }

  listReleases(query: Record<string, string> = {}): Promise<ReleasePage> {
    return this.api.request('GET', `/api/v1/releases${queryString(query)}`) as Promise<ReleasePage>;
  }

  release(id: string): Promise<Release> {
    return this.api.request('GET', `/api/v1/releases/${seg(id)}`) as Promise<Release>;
  }

  // docker-credential-flyreg.

  helperToken(hostname: string): Promise<HelperTokenAnswer> {
    return this.api.request('POST', '/api/v1/credential-helper/token', { hostname }) as Promise<HelperTokenAnswer>;
  }

  revokeHelperTokens(): Promise<HelperTokensRevoked> {
    return this.api.request('DELETE', '/api/v1/credential-helper/token') as Promise<HelperTokensRevoked>;
  }

  // OIDC trust policies.

  async listTrustPolicies(): Promise<TrustPolicy[]> {
    return ((await this.api.request('GET', '/api/v1/oidc/policies')) as TrustPolicyList).policies;
  }

  trustPolicy(idOrName: string): Promise<TrustPolicy> {
    return this.api.request('GET', `/api/v1/oidc/policies/${seg(idOrName)}`) as Promise<TrustPolicy>;
  }

  createTrustPolicy(input: Record<string, unknown>): Promise<TrustPolicy> {
    return this.api.request('POST', '/api/v1/oidc/policies', input) as Promise<TrustPolicy>;
  }

  async deleteTrustPolicy(idOrName: string): Promise<void> {
    await this.api.request('DELETE', `/api/v1/oidc/policies/${seg(idOrName)}`);
  }
}

export interface CreateEnvironmentRequest {
  name: string;
  description?: string;
  color?: string;
  /** Also create the environment's first token (read-only unless said otherwise). */
  token?: { name?: string; permission?: Permission; expiresAt?: string | null };
}

export interface CreateTokenRequest {
  name: string;
  /** Required, except for environment tokens (read-only by default). */
  permission?: Permission;
  expiresAt: string | null;
  environment?: string;
  /** Fine-grained scope: `"protocol:pattern"` entries such as `"oci:team/*"`; absent = the whole registry. */
  scope?: string[];
}

function queryString(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
}
