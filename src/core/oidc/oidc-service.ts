import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { AuditLog } from '../audit/audit-log.js';
import type { Authenticator } from '../auth/authenticate.js';
import { authorize } from '../auth/authorize.js';
import { formatScopeEntry } from '../auth/scope.js';
import { actorName, userPrincipal, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import type { IssuedToken, TokenService } from '../tokens/token-service.js';
import { parseInput } from '../validation.js';
import { brokenRule } from './claim-rules.js';
import { CLOCK_SKEW_SECONDS, type IdTokenVerifier, type VerifiedClaims } from './id-token-verifier.js';
import type { CiProvenance, TrustPolicy } from './model.js';
import { createPolicyInput, exchangeInput } from './policy-input.js';
import { provenanceOf } from './provenance.js';

export interface OidcServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  authenticator: Authenticator;
  tokens: TokenService;
  verifier: IdTokenVerifier;
}

/** An exchange's answer: the new short-lived token (secret shown once), the policy that allowed it, the run. */
export interface Exchange {
  issued: IssuedToken;
  policy: TrustPolicy;
  provenance: CiProvenance;
}

/**
 * Trust policies and the exchange of a CI job's OIDC ID token for a short-lived registry token. The token
 * is an ordinary token record (so every protocol accepts it unchanged) created on behalf of the admin who
 * wrote the policy, expiring after the policy's TTL (at most an hour); nothing renews it.
 */
export class OidcService {
  constructor(private readonly deps: OidcServiceDeps) {}

  async createPolicy(actor: Principal, input: unknown, ctx: RequestContext): Promise<TrustPolicy> {
    authorize(actor, 'manage', { kind: 'trust-policies' });
    const parsed = parseInput(createPolicyInput, input);
    if (parsed.environment && !(await this.deps.store.environments.byName(parsed.environment))) {
      throw Errors.validation(`Environment ${JSON.stringify(parsed.environment)} does not exist: create it first`, [
        { path: 'environment', message: 'no such environment' },
      ]);
    }
    const policy: TrustPolicy = {
      id: randomUUID(),
      name: parsed.name,
      issuer: parsed.issuer,
      audience: parsed.audience,
      rules: parsed.rules.map((r) => ({ claim: r.claim, values: typeof r.equals === 'string' ? [r.equals] : r.equals })),
      permission: parsed.permission,
      scope: this.deps.tokens.scope(parsed.scope ?? null, parsed.permission),
      environment: parsed.environment ?? null,
      tokenTtlSeconds: parsed.tokenTtlSeconds,
      createdBy: actor.user.id,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.store.transaction(async (tx) => {
      if (await tx.oidc.policyByName(policy.name)) throw Errors.conflict(`Trust policy ${policy.name} already exists`);
      await tx.oidc.insertPolicy(policy);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'trust_policy.created',
          target: { type: 'trust_policy', id: policy.id, name: policy.name },
          details: {
            issuer: policy.issuer,
            audience: policy.audience,
            rules: policy.rules,
            permission: policy.permission,
            environment: policy.environment,
            scope: policy.scope && policy.scope.map(formatScopeEntry),
          },
        },
        ctx,
      );
    });
    return policy;
  }

  async listPolicies(actor: Principal): Promise<TrustPolicy[]> {
    authorize(actor, 'pull', { kind: 'trust-policies' });
    return this.deps.store.oidc.listPolicies();
  }

  async getPolicy(actor: Principal, idOrName: string): Promise<TrustPolicy> {
    authorize(actor, 'pull', { kind: 'trust-policies' });
    return this.load(idOrName);
  }

  /** Deleting a policy stops new exchanges; tokens it already issued run out on their own (an hour at most). */
  async deletePolicy(actor: Principal, idOrName: string, ctx: RequestContext): Promise<void> {
    authorize(actor, 'manage', { kind: 'trust-policies' });
    const policy = await this.load(idOrName);
    await this.deps.store.transaction(async (tx) => {
      await tx.oidc.deletePolicy(policy.id);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(actor), action: 'trust_policy.deleted', target: { type: 'trust_policy', id: policy.id, name: policy.name }, details: {} },
        ctx,
      );
    });
  }

  /** What the exchanged tokens among these remember of their CI runs (an empty map for other tokens). */
  provenanceOf(tokenIds: string[]): Promise<Map<string, CiProvenance>> {
    return this.deps.store.oidc.provenanceFor(tokenIds);
  }

  async exchange(input: unknown, ctx: RequestContext): Promise<Exchange> {
    this.deps.authenticator.checkRateLimit(ctx);
    try {
      return await this.exchangeChecked(parseInput(exchangeInput, input), ctx);
    } catch (error) {
      this.deps.authenticator.noteFailure(error, ctx, this.deps.clock.now());
      throw error;
    }
  }

  private async exchangeChecked(input: { token: string; policy?: string | undefined }, ctx: RequestContext): Promise<Exchange> {
    const issuer = unverifiedIssuer(input.token);
    // Only issuers a policy names are ever contacted: an unknown one is refused before any network request.
    let policies = await this.deps.store.oidc.policiesForIssuer(issuer);
    if (policies.length === 0) throw Errors.idTokenRefused('issuer', `no trust policy trusts the issuer ${JSON.stringify(issuer.slice(0, 200))}`);
    if (input.policy !== undefined) {
      policies = policies.filter((p) => p.name === input.policy);
      if (policies.length === 0) throw Errors.idTokenRefused('policy', `trust policy ${input.policy} does not exist or does not trust this issuer`);
    }
    const claims = await this.deps.verifier.verify(input.token, issuer, [...new Set(policies.map((p) => p.audience))]);
    const policy = this.matchPolicy(policies, claims);
    const owner = await this.deps.store.users.byId(policy.createdBy);
    if (!owner || owner.status !== 'active') {
      throw Errors.idTokenRefused('policy_owner', `trust policy ${policy.name} was created by a user who is no longer active: an admin must recreate it`);
    }
    const environment = policy.environment === null ? null : await this.deps.store.environments.byName(policy.environment);
    if (policy.environment !== null && !environment) {
      throw Errors.conflict(`Trust policy ${policy.name} scopes tokens to environment ${policy.environment}, which no longer exists`);
    }
    const now = this.deps.clock.now();
    // The policy's owner stands behind the token, as they would behind one they created by hand.
    const ownerPrincipal = userPrincipal({ id: owner.id, username: owner.username, role: owner.role }, null);
    const { token, secret, provenance } = await this.deps.store.transaction(async (tx) => {
      // Kept until the ID token itself expires (plus the skew): a replay after that fails on exp anyway.
      const fresh = await tx.oidc.useJti(issuer, claims.jti, new Date((claims.exp + CLOCK_SKEW_SECONDS) * 1000), now);
      if (!fresh) throw Errors.idTokenRefused('replayed', 'this ID token was already exchanged (its jti was seen before): request a new one');
      const repository = typeof claims.repository === 'string' ? claims.repository : typeof claims.project_path === 'string' ? claims.project_path : claims.sub;
      const { token, secret } = await this.deps.tokens.insert(
        tx,
        ownerPrincipal,
        {
          name: `${policy.name}: ${repository}`.slice(0, 100),
          permission: policy.permission,
          expiresAt: new Date(now.getTime() + policy.tokenTtlSeconds * 1000),
          environment: environment ? { id: environment.id, name: environment.name } : null,
          // The policy's scope becomes the token's, so authorize() holds the CI job to it on every request.
          scope: policy.scope,
        },
        ctx,
        { actor: `oidc ${policy.name} (${claims.sub.slice(0, 200)})`, details: { trustPolicy: policy.name, issuer, subject: claims.sub } },
      );
      const provenance = provenanceOf(claims, token.id, policy.id);
      await tx.oidc.insertProvenance(provenance);
      return { token, secret, provenance };
    });
    return { issued: this.deps.tokens.created(token, secret), policy, provenance };
  }

  /** The one policy whose audience and rules the claims satisfy; a clear refusal otherwise. */
  private matchPolicy(policies: TrustPolicy[], claims: VerifiedClaims): TrustPolicy {
    const audiences = new Set(typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []));
    const forAudience = policies.filter((p) => audiences.has(p.audience));
    const matching = forAudience.filter((p) => brokenRule(p.rules, claims) === null);
    if (matching.length === 1 && matching[0]) return matching[0];
    if (matching.length > 1) {
      throw Errors.idTokenRefused('ambiguous', `several trust policies match (${matching.map((p) => p.name).join(', ')}): name one with "policy"`);
    }
    const reasons = forAudience.map((p) => `${p.name}: ${brokenRule(p.rules, claims) ?? 'no match'}`);
    throw Errors.idTokenRefused('claims', `the job's claims are outside every trust policy for this issuer (${reasons.join('; ')})`);
  }

  private async load(idOrName: string): Promise<TrustPolicy> {
    const policy = (await this.deps.store.oidc.policyByName(idOrName)) ?? (/^[0-9a-f-]{36}$/.test(idOrName) ? await this.deps.store.oidc.policyById(idOrName) : undefined);
    if (!policy) throw Errors.notFound('Trust policy', idOrName);
    return policy;
  }
}

/** The issuer the token claims, read before verification only to pick the policies and keys to verify with. */
function unverifiedIssuer(token: string): string {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw Errors.idTokenRefused('invalid', 'the token is not a JWT (header.payload.signature)');
  }
  if (typeof iss !== 'string' || iss.length === 0) throw Errors.idTokenRefused('invalid', 'the ID token has no "iss" claim');
  return iss;
}
