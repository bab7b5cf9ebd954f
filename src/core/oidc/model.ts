/** CI identity federation: trust policies that turn a CI job's OIDC ID token into a short-lived registry token. */
import type { ScopeGrant } from '../auth/scope-grant.js';
import type { Permission } from '../model.js';

/**
 * One claim rule: the claim's value must equal one of `values`, where a `*` in a value matches any run of
 * characters (so `refs/tags/v*` matches `refs/tags/v1.2.0`). Claims that are numbers or booleans compare
 * as their JSON text; a missing claim never matches.
 */
export interface ClaimRule {
  claim: string;
  values: string[];
}

/** What a policy's tokens may reach: a fine-grained scope (core/auth/scope.ts), enforced on every token it issues. */
export type { ScopeGrant } from '../auth/scope-grant.js';

export interface TrustPolicy {
  id: string;
  name: string;
  /** The issuer URL exactly as the ID token's `iss` claim spells it. */
  issuer: string;
  /** The `aud` the CI job asks its ID token for. */
  audience: string;
  /** Every rule must hold. */
  rules: ClaimRule[];
  permission: Permission;
  scope: ScopeGrant[] | null;
  /** The environment the issued token is scoped to (its pulls become that environment's deployments). */
  environment: string | null;
  /** Lifetime of the issued registry token, at most an hour. */
  tokenTtlSeconds: number;
  createdBy: string;
  createdAt: Date;
}

/** What a registry token issued by an exchange remembers of the CI job that got it. */
export interface CiProvenance {
  tokenId: string;
  policyId: string;
  issuer: string;
  subject: string;
  repository: string | null;
  ref: string | null;
  sha: string | null;
  workflow: string | null;
  runId: string | null;
  runUrl: string | null;
  actor: string | null;
  /** Tag or branch name when the ref is one (`v1.2.0`, `main`). */
  refName: string | null;
  refType: 'tag' | 'branch' | null;
  /** The pull/merge request number when the job ran for one. */
  pullRequest: string | null;
}

/** Trust policies, used ID token ids and exchanged tokens' provenance (part of MetadataStore). */
export interface OidcStore {
  insertPolicy(policy: TrustPolicy): Promise<void>;
  policyById(id: string): Promise<TrustPolicy | undefined>;
  policyByName(name: string): Promise<TrustPolicy | undefined>;
  listPolicies(): Promise<TrustPolicy[]>;
  policiesForIssuer(issuer: string): Promise<TrustPolicy[]>;
  deletePolicy(id: string): Promise<boolean>;
  /**
   * Records an ID token's `jti` as used until `expiresAt`; false when it was already used (on any replica:
   * the row is the lock). Rows past their expiry are dropped first, so the table stays small.
   */
  useJti(issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean>;
  insertProvenance(p: CiProvenance): Promise<void>;
  provenanceFor(tokenIds: string[]): Promise<Map<string, CiProvenance>>;
}
