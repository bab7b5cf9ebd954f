import { apiRequest } from './client';
import type { Permission, TrustPolicy, TrustPolicyList } from './types';

/** What the create dialog sends (POST /api/v1/oidc/policies); `equals` lists a claim's alternatives. */
export interface NewTrustPolicy {
  name: string;
  issuer: string;
  audience: string;
  rules: { claim: string; equals: string[] }[];
  permission: Permission;
  scope?: string[];
  environment?: string;
  tokenTtlSeconds: number;
}

const policy = (name: string) => `/api/v1/oidc/policies/${encodeURIComponent(name)}`;

export const listTrustPolicies = async () => (await apiRequest<TrustPolicyList>('GET', '/api/v1/oidc/policies')).policies;
export const createTrustPolicy = (input: NewTrustPolicy) => apiRequest<TrustPolicy>('POST', '/api/v1/oidc/policies', input);
export const deleteTrustPolicy = (name: string) => apiRequest<unknown>('DELETE', policy(name));
