import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { formatScopeEntry, resolveScope, scopeInput, scopeWithin, type ScopeGrant } from '../auth/scope.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { TokenCache } from '../auth/token-cache.js';
import type { Clock } from '../clock.js';
import type { InvalidationBus } from '../invalidation.js';
import { Errors } from '../errors.js';
import { PERMISSIONS, tokenStatus, type Permission, type TokenStatus, type TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';
import { displayText, parseInput, slugName } from '../validation.js';
import { kubernetesPullSecret, kubernetesSecretInput, type KubernetesPullSecret, type KubernetesSecretInput } from './kubernetes-secret.js';
import { revokeTokens } from './revoke-tokens.js';
import { generateSecret, hashSecret, isWellFormedSecret } from './secret.js';
import type { CoreProtocol } from '../protocols.js';
import { clientSnippets } from './snippets.js';
import { DEFAULT_EXPIRY_WARNING_DAYS, expiryWarningMs, isExpiringSoon } from './expiry-warning.js';
import { previewScope, type ScopePreviewEntry } from './scope-preview.js';

export const permissionInput = z.enum(PERMISSIONS, { error: 'must be "read-only" or "read-write"' });
export const expiresAtInput = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time or null (never)' }).nullable();
/** Environment names: lowercase letters, digits, inner hyphens (they also name Kubernetes-like things). */
export const environmentNameInput = slugName(63);

const createTokenFields = z.strictObject({
  name: displayText(100),
  permission: permissionInput,
  expiresAt: expiresAtInput,
  /** Scope the token to a runtime environment: its image pulls become that environment's deployments. */
  environment: environmentNameInput.optional(),
  /** Where the generated Kubernetes image-pull secret goes. */
  kubernetes: kubernetesSecretInput.optional(),
  /** Fine-grained scope: `["oci:team/*", "npm:@acme/*"]`; absent or null = the whole registry. */
  scope: scopeInput.optional(),
});

/** Environment tokens default to read-only; every other token must say which permission it has. */
export const createTokenInput = z.preprocess(
  (body) =>
    typeof body === 'object' && body !== null && !Array.isArray(body) && 'environment' in body && !('permission' in body)
      ? { ...body, permission: 'read-only' }
      : body,
  createTokenFields,
);
export type CreateTokenInput = z.input<typeof createTokenInput>;

/** What a new token is, once its input is validated and its environment resolved. */
export interface TokenSpec {
  name: string;
  permission: Permission;
  expiresAt: Date | null;
  environment: { id: string; name: string } | null;
  /** Fine-grained scope, already resolved (core/auth/scope.ts); null or absent = the whole registry. */
  scope?: readonly ScopeGrant[] | null;
  /** A secret the caller derived (credential helper tokens); default: a fresh random one. */
  secret?: string;
}

/**
 * A token as the services hand it out: its record, its creator's and environment's names, and its derived
 * status. The record holds the secret's hash: whoever shows a token picks the fields it shows.
 */
export interface TokenDetails extends TokenWithCreator {
  status: TokenStatus;
  /** Active and expiring within the warning window (tokens/expiry-warning.ts). */
  expiringSoon: boolean;
}

/** A token just created: the secret (returned this once and never again) and ready-to-paste client configuration. */
export interface IssuedToken {
  token: TokenDetails;
  secret: string;
  /** One snippet per protocol (the protocol registry names its key), and the Kubernetes image-pull secret. */
  snippets: { [key: string]: string | KubernetesPullSecret; kubernetes: KubernetesPullSecret };
}

/** A secret reported leaked, and where it was found (a scanner's match URL and source). */
export interface LeakedSecret {
  secret: string;
  url?: string;
  source?: string;
}

/** What a leak report did to one reported secret. */
export interface LeakOutcome {
  secret: string;
  outcome: 'revoked' | 'already-revoked' | 'unknown';
  tokenId?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface TokenServiceDeps {
  store: MetadataStore;
  clock: Clock;
  cache: TokenCache;
  invalidations: InvalidationBus;
  audit: AuditLog;
  publicUrl: URL;
  /** The protocol registry's entries: each adds its snippet to a new token's answer. */
  protocols: readonly CoreProtocol[];
  /** How long before its expiry a token is "expiring soon" (default: 7 days). */
  expiryWarningMs?: number;
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  details(t: TokenWithCreator): TokenDetails {
    return { ...t, status: tokenStatus(t, this.deps.clock.now()), expiringSoon: this.expiringSoon(t.expiresAt) };
  }

  /** Whether a token with this expiry is "expiring soon" now (tokens/expiry-warning.ts). */
  expiringSoon(expiresAt: Date | null | undefined): boolean {
    return isExpiringSoon(expiresAt, this.deps.clock.now(), this.deps.expiryWarningMs ?? expiryWarningMs(DEFAULT_EXPIRY_WARNING_DAYS));
  }

  /** `kubernetesQuery` is the query string's say on the image-pull secret; the body's `kubernetes` wins. */
  async create(actor: Principal, input: unknown, ctx: RequestContext, kubernetesQuery: KubernetesSecretInput = {}): Promise<IssuedToken> {
    authorize(actor, 'push', { kind: 'tokens' });
    const parsed = parseInput(createTokenInput, input);
    let environment: TokenSpec['environment'] = null;
    if (parsed.environment !== undefined) {
      authorize(actor, 'pull', { kind: 'environment' });
      const found = await this.deps.store.environments.byName(parsed.environment);
      if (!found) {
        throw Errors.validation(`Environment ${JSON.stringify(parsed.environment)} does not exist: create it first`, [
          { path: 'environment', message: 'no such environment' },
        ]);
      }
      environment = { id: found.id, name: found.name };
    }
    const spec: TokenSpec = {
      name: parsed.name,
      permission: parsed.permission,
      expiresAt: this.expiry(parsed.expiresAt),
      environment,
      scope: this.scope(parsed.scope ?? null, parsed.permission),
    };
    const { token, secret } = await this.deps.store.transaction((tx) => this.insert(tx, actor, spec, ctx));
    return this.created(token, secret, { ...kubernetesQuery, ...parsed.kubernetes });
  }

  /** A parsed scope checked against the registry's protocols and the permission (null = the whole registry). */
  scope(scope: readonly ScopeGrant[] | null, permission: Permission, field = 'scope'): ScopeGrant[] | null {
    return scope && scopeWithin(resolveScope(scope, this.deps.protocols, field), permission, field);
  }

  /** The create dialog's live preview: the existing names each scope pattern matches, among those the actor may see. */
  previewScope(actor: Principal, input: unknown): Promise<ScopePreviewEntry[]> {
    return previewScope(this.deps, actor, input);
  }

  /** Turns an `expiresAt` input into a date, refusing the past (null or absent = never). */
  expiry(expiresAt: string | null | undefined): Date | null {
    if (expiresAt === null || expiresAt === undefined) return null;
    const date = new Date(expiresAt);
    if (date.getTime() <= this.deps.clock.now().getTime()) {
      throw Errors.validation('expiresAt must be in the future (or null for a token that never expires)', [
        { path: 'expiresAt', message: 'must be in the future' },
      ]);
    }
    return date;
  }

  /**
   * Inserts a token with its audit event through `tx` (a transaction's store, so a caller can land it with
   * other changes, such as the environment it belongs to). The caller has authorized the creation. `audit`
   * names who the log shows as creating it when that is not `actor` itself (a CI job exchanging its ID token).
   */
  async insert(
    tx: MetadataStore,
    actor: Principal,
    spec: TokenSpec,
    ctx: RequestContext,
    audit: { actor?: string; details?: Record<string, unknown> } = {},
  ): Promise<{ token: TokenWithCreator; secret: string }> {
    const secret = spec.secret ?? generateSecret('token');
    const id = randomUUID();
    const username = await uniqueTokenUsername(tx, spec.name);
    await tx.tokens.insert({
      id,
      name: spec.name,
      username,
      permission: spec.permission,
      createdBy: actor.user.id,
      createdAt: this.deps.clock.now(),
      expiresAt: spec.expiresAt,
      revokedAt: null,
      revokedBy: null,
      environmentId: spec.environment?.id ?? null,
      secretHash: hashSecret(secret),
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedClient: null,
      useCount: 0,
      scope: spec.scope ?? null,
    });
    await this.deps.audit.record(
      tx.audit,
      {
        actor: audit.actor ?? actorName(actor),
        action: 'token.created',
        target: { type: 'token', id, name: spec.name },
        details: {
          username,
          permission: spec.permission,
          expiresAt: iso(spec.expiresAt),
          ...(spec.environment ? { environment: spec.environment.name } : {}),
          ...(spec.scope ? { scope: spec.scope.map(formatScopeEntry) } : {}),
          ...audit.details,
        },
      },
      ctx,
    );
    const token = await tx.tokens.byId(id);
    if (!token) throw new Error('token vanished inside its own creation transaction');
    return { token, secret };
  }

  /** The creation answer: the secret (this once) and ready-to-paste client configuration. */
  created(token: TokenWithCreator, secret: string, kubernetes: KubernetesSecretInput = {}): IssuedToken {
    return {
      token: this.details(token),
      secret,
      snippets: {
        ...clientSnippets(this.deps.publicUrl, this.deps.protocols, token.username, secret),
        kubernetes: kubernetesPullSecret(this.deps.publicUrl, token.username, secret, kubernetes),
      },
    };
  }

  /**
   * Revokes every still-active token of an environment through `tx`, each with its audit event; the actor
   * must be allowed to revoke each of them. Returns their ids: call forget() with them once the transaction
   * has committed.
   */
  async revokeForEnvironment(tx: MetadataStore, actor: Principal, environment: { id: string; name: string }, ctx: RequestContext): Promise<string[]> {
    const tokens = (await tx.tokens.list({ environmentId: environment.id })).filter((t) => t.revokedAt === null);
    for (const token of tokens) authorize(actor, 'manage', { kind: 'token', createdBy: token.createdBy });
    return revokeTokens(tx, { audit: this.deps.audit, now: this.deps.clock.now() }, actor, tokens, `environment ${environment.name} deleted`, ctx);
  }

  /** Drops tokens from the verification cache, so a revocation takes effect on the very next request. */
  forget(tokenIds: string[]): void {
    for (const id of tokenIds) this.deps.cache.invalidate(id);
  }

  /** The tokens of one environment, newest first. */
  async listForEnvironment(environmentId: string): Promise<TokenDetails[]> {
    return (await this.deps.store.tokens.list({ environmentId })).map((t) => this.details(t));
  }

  async list(actor: Principal): Promise<TokenDetails[]> {
    authorize(actor, 'pull', { kind: 'tokens' });
    const tokens = await this.deps.store.tokens.list();
    return tokens.map((t) => this.details(t));
  }

  async get(actor: Principal, id: string): Promise<TokenDetails> {
    return this.details(await this.load(actor, 'pull', id));
  }

  /** Revocation is immediate and permanent; revoking again changes nothing and says so. */
  async revoke(actor: Principal, id: string, ctx: RequestContext): Promise<{ token: TokenDetails; alreadyRevoked: boolean }> {
    return this.revokeLoaded(actor, await this.load(actor, 'manage', id), ctx);
  }

  /**
   * The tokens the actor's user created, as a registry client lists them (`npm token list`); a registry
   * token may do this for its creator (authorize.ts, resource own-tokens).
   */
  async listOwn(actor: Principal): Promise<TokenDetails[]> {
    authorize(actor, 'pull', { kind: 'own-tokens', createdBy: actor.user.id });
    const tokens = await this.deps.store.tokens.list({ createdBy: actor.user.id });
    return tokens.map((t) => this.details(t));
  }

  /** Revokes one of the actor's user's own tokens, named by id or by its secret (`npm token revoke`). */
  async revokeOwn(actor: Principal, idOrSecret: string, ctx: RequestContext): Promise<{ token: TokenDetails; alreadyRevoked: boolean }> {
    authorize(actor, 'manage', { kind: 'own-tokens', createdBy: actor.user.id });
    const token = isWellFormedSecret(idOrSecret, 'token')
      ? await this.deps.store.tokens.byHash(hashSecret(idOrSecret))
      : await this.deps.store.tokens.byId(idOrSecret);
    // Someone else's token is "not found" here: this view only ever holds the user's own tokens.
    if (!token || token.createdBy !== actor.user.id) throw Errors.notFound('Token', isWellFormedSecret(idOrSecret, 'token') ? '(secret)' : idOrSecret);
    return this.revokeLoaded(actor, token, ctx);
  }

  private async revokeLoaded(actor: Principal, token: TokenWithCreator, ctx: RequestContext): Promise<{ token: TokenDetails; alreadyRevoked: boolean }> {
    const id = token.id;
    const now = this.deps.clock.now();
    const revokedNow = await this.deps.store.transaction(async (tx) => {
      const changed = await tx.tokens.revoke(id, now, actor.user.username);
      if (changed) {
        await this.deps.audit.record(
          tx.audit,
          { actor: actorName(actor), action: 'token.revoked', target: { type: 'token', id, name: token.name }, details: { username: token.username } },
          ctx,
        );
        // Other replicas drop their cached record when this commits (PostgreSQL NOTIFY).
        await this.deps.invalidations.publish({ kind: 'token', tokenId: id }, tx);
      }
      return changed;
    });
    this.deps.cache.invalidate(id);
    const fresh = await this.deps.store.tokens.byId(id);
    return { token: this.details(fresh ?? token), alreadyRevoked: !revokedNow };
  }

  /**
   * Revokes the tokens whose secrets were reported leaked, all in one transaction, each audited as revoked
   * with reason "leaked" (which announces `token.leaked` to webhooks and the creator). `reporter` names who
   * reported: the audit actor and the tokens' revokedBy. Tells, per secret, whether it is one of ours.
   */
  async revokeLeaked(reports: readonly LeakedSecret[], reporter: string, ctx: RequestContext): Promise<LeakOutcome[]> {
    const now = this.deps.clock.now();
    const outcomes = await this.deps.store.transaction(async (tx) => {
      const out: LeakOutcome[] = [];
      for (const { secret, url, source } of reports) {
        const token = isWellFormedSecret(secret, 'token') ? await tx.tokens.byHash(hashSecret(secret)) : undefined;
        if (!token) {
          out.push({ secret, outcome: 'unknown' });
          continue;
        }
        const changed = await tx.tokens.revoke(token.id, now, reporter);
        if (changed) {
          await this.deps.audit.record(
            tx.audit,
            {
              actor: reporter,
              action: 'token.revoked',
              target: { type: 'token', id: token.id, name: token.name },
              details: { username: token.username, reason: 'leaked', ...(url ? { url } : {}), ...(source ? { source } : {}) },
            },
            ctx,
          );
          await this.deps.invalidations.publish({ kind: 'token', tokenId: token.id }, tx);
        }
        out.push({ secret, outcome: changed ? 'revoked' : 'already-revoked', tokenId: token.id });
      }
      return out;
    });
    this.forget(outcomes.flatMap((o) => (o.tokenId ? [o.tokenId] : [])));
    return outcomes;
  }

  /** Only expired or revoked tokens may be deleted: an active one must be revoked first. */
  async delete(actor: Principal, id: string, ctx: RequestContext): Promise<void> {
    const token = await this.load(actor, 'delete', id);
    if (tokenStatus(token, this.deps.clock.now()) === 'active') throw Errors.tokenStillActive();
    await this.deps.store.transaction(async (tx) => {
      await tx.tokens.delete(id);
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'token.deleted',
          target: { type: 'token', id, name: token.name },
          details: { username: token.username, status: tokenStatus(token, this.deps.clock.now()) },
        },
        ctx,
      );
      await this.deps.invalidations.publish({ kind: 'token', tokenId: id }, tx);
    });
    this.deps.cache.invalidate(id);
  }

  /** A token the actor may act on this way (rotation uses it too: tokens/rotation.ts). */
  async load(actor: Principal, action: 'pull' | 'manage' | 'delete', id: string): Promise<TokenWithCreator> {
    authorize(actor, 'pull', { kind: 'tokens' });
    const token = await this.deps.store.tokens.byId(id);
    if (!token) throw Errors.notFound('Token', id);
    authorize(actor, action, { kind: 'token', createdBy: token.createdBy });
    return token;
  }
}

/** `<slug of the name>-<6 random chars>`: readable, unique, valid as a Docker/pip username. */
async function uniqueTokenUsername(store: MetadataStore, name: string): Promise<string> {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'token';
  for (;;) {
    const suffix = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 6);
    const candidate = `${slug}-${suffix}`;
    if (!(await store.tokens.usernameTaken(candidate))) return candidate;
  }
}
