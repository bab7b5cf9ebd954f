import type { Clock } from '../clock.js';
import { Errors, isAppError, type ErrorCode } from '../errors.js';
import { tokenIdentity, tokenStatus, type TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';
import { constantTimeEqual, hashSecret, hasSecretShape, isWellFormedSecret, SECRET_PREFIX } from '../tokens/secret.js';
import { findReplacedSecret } from '../tokens/replaced-secret.js';
import type { UsageRecorder } from '../tokens/usage-recorder.js';
import { accountKey, type FailureLimiter, type ReservedAttempt } from './failure-limiter.js';
import type { DerivedCredentials } from '../oci/registry.js';
import { tokenPrincipal, userPrincipal, type Credential, type Principal, type RequestContext } from './principal.js';
import type { Grant } from './grants.js';
import type { TokenCache } from './token-cache.js';

/** Failures that count towards the per-address limit. */
const COUNTED_FAILURES = new Set<ErrorCode>([
  'invalid_credentials',
  'token_unknown',
  'token_username_mismatch',
  'token_expired',
  'token_revoked',
  'session_invalid',
]);

/** The secret a request used: its hash and, for one a rotation replaced, when it retires. */
interface FoundSecret {
  hash: string;
  retiresAt: Date | null;
}

/** The username Basic auth accepts for any token (PyPI's convention). */
export const GENERIC_TOKEN_USERNAME = '__token__';

export interface AuthenticatorDeps {
  store: MetadataStore;
  clock: Clock;
  cache: TokenCache;
  limiter: FailureLimiter;
  usage: UsageRecorder;
  /** Verifies the OCI token flow's short-lived bearer tokens (credentials derived from a registry token). */
  derived: DerivedCredentials;
}

/**
 * The one authentication core: every protocol turns its wire credential into a Credential and calls
 * authenticate(). It returns a Principal or throws a precise error (unknown, wrong username, expired,
 * revoked, inactive user, rate limited).
 */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(credential: Credential, ctx: RequestContext): Promise<Principal> {
    const now = this.deps.clock.now();
    this.deps.limiter.check(ctx.ip, now.getTime());
    try {
      return await this.resolve(credential, ctx, now);
    } catch (error) {
      await this.noteFailure(error, ctx, now);
      throw error;
    }
  }

  /**
   * authenticate() for a credential whose token this process already holds (the token cache): the same
   * checks and the same usage record, synchronously. Undefined when anything would need the database (a
   * token not cached, a session, a signing key not yet loaded); a refusal throws as authenticate() would,
   * and counts nowhere: the caller hands the request to authenticate(), which counts it.
   */
  fromMemory(credential: Credential, ctx: RequestContext): Principal | undefined {
    const now = this.deps.clock.now();
    this.deps.limiter.check(ctx.ip, now.getTime());
    const secret = credential.kind === 'basic' ? credential.password : credential.kind === 'bearer' ? credential.secret : null;
    if (secret === null) return undefined;
    if (credential.kind === 'bearer' && this.deps.derived.isDerived(secret)) {
      const verified = this.deps.derived.verifyInMemory(secret, now);
      const token = verified && this.deps.cache.getById(verified.tokenId, now.getTime());
      return token ? withScope(this.tokenPrincipal(token, ctx, now), verified.scope) : undefined;
    }
    // Only a cached token's hash can match here, and every cached token's secret is well formed: the checksum,
    // which spares the database a typo, has nothing to spare (a miss goes on to authenticate(), which checks it).
    if (!hasSecretShape(secret, 'token')) return undefined;
    const found = this.cachedSecret(hashSecret(secret), now);
    if (!found) return undefined;
    return this.tokenPrincipal(checkUsername(found.token, credential.kind === 'basic' ? credential.username : undefined), ctx, now, found);
  }

  /**
   * A credential derived from a registry token (the OCI token flow's bearer token) re-authenticates that
   * token by its id on every request, with the same status checks as its secret would get, so revoking,
   * expiring or deleting the token stops it at once. The principal carries the bearer token's scope.
   */
  private async viaDerivedToken(secret: string, ctx: RequestContext, now: Date): Promise<Principal> {
    const verified = await this.deps.derived.verify(secret, now);
    let token = this.deps.cache.getById(verified.tokenId, now.getTime());
    if (!token) {
      token = await this.deps.store.tokens.byId(verified.tokenId);
      if (!token) throw Errors.tokenUnknown();
      this.deps.cache.set(token.secretHash, token, now.getTime());
    }
    return withScope(this.tokenPrincipal(token, ctx, now), verified.scope);
  }

  /**
   * Counts a failed attempt (also used by password login, which is not a credential lookup). Resolves once
   * every worker sees the count, so the refusal is not answered before the limit holds everywhere.
   */
  async noteFailure(error: unknown, ctx: RequestContext, now: Date): Promise<void> {
    if (isAppError(error) && COUNTED_FAILURES.has(error.code)) await this.deps.limiter.recordFailure(ctx.ip, now.getTime());
  }

  /**
   * A password check about to run (scrypt): counted up front against the address and the account, so
   * parallel guesses cannot all be verified before the first failure is recorded. Throws rate_limited.
   */
  reservePasswordAttempt(username: string, ctx: RequestContext): Promise<ReservedAttempt> {
    return this.deps.limiter.reserve([ctx.ip, accountKey(username)], this.deps.clock.now().getTime());
  }

  /** Throws rate_limited when the address has failed too often. */
  checkRateLimit(ctx: RequestContext): void {
    this.deps.limiter.check(ctx.ip, this.deps.clock.now().getTime());
  }

  private resolve(credential: Credential, ctx: RequestContext, now: Date): Promise<Principal> {
    switch (credential.kind) {
      case 'basic':
        return this.viaToken(credential.password, credential.username, ctx, now);
      case 'bearer':
        if (credential.secret.startsWith(SECRET_PREFIX.session)) return this.viaSession(credential.secret, false, now);
        if (this.deps.derived.isDerived(credential.secret)) return this.viaDerivedToken(credential.secret, ctx, now);
        return this.viaToken(credential.secret, undefined, ctx, now);
      case 'session-cookie':
        return this.viaSession(credential.secret, true, now);
    }
  }

  private async viaToken(secret: string, username: string | undefined, ctx: RequestContext, now: Date): Promise<Principal> {
    // Anything that is not even shaped like a token is most likely the account password: say what to use.
    if (!secret.startsWith(SECRET_PREFIX.token)) throw Errors.passwordNotToken();
    if (!isWellFormedSecret(secret, 'token')) throw Errors.tokenUnknown();
    const found = await this.lookupToken(secret, now);
    return this.tokenPrincipal(checkUsername(found.token, username), ctx, now, found);
  }

  /** `secret`: which of the token's secrets the request used (absent for credentials derived from the token). */
  private tokenPrincipal(token: TokenWithCreator, ctx: RequestContext, now: Date, secret?: FoundSecret): Principal {
    const status = tokenStatus(token, now);
    if (status === 'revoked') throw Errors.tokenRevoked(token.revokedAt as Date);
    if (status === 'expired') throw Errors.tokenExpired(token.expiresAt as Date);
    // A secret a rotation replaced stops like a revoked token once its overlap ends.
    if (secret?.retiresAt && secret.retiresAt.getTime() <= now.getTime()) throw Errors.secretRetired(secret.retiresAt);
    if (token.creatorStatus !== 'active') throw Errors.userInactive(token.creatorUsername);
    this.deps.usage.record(token.id, now, ctx.ip, ctx.userAgent, secret?.hash);
    const identity = tokenIdentity(token);
    if (secret?.retiresAt) identity.secretRetiresAt = secret.retiresAt;
    return tokenPrincipal({ id: token.createdBy, username: token.creatorUsername, role: token.creatorRole }, identity);
  }

  /** The token a secret belongs to: its current secret (the hot path, cached) or one a rotation replaced. */
  private async lookupToken(secret: string, now: Date): Promise<FoundSecret & { token: TokenWithCreator }> {
    const hash = hashSecret(secret);
    const cached = this.cachedSecret(hash, now);
    if (cached) return cached;
    const current = await this.deps.store.tokens.byHash(hash);
    if (current) {
      if (!constantTimeEqual(current.secretHash, hash)) throw Errors.tokenUnknown();
      this.deps.cache.set(hash, current, now.getTime());
      return { token: current, hash, retiresAt: null };
    }
    const replaced = await findReplacedSecret(this.deps.store, hash);
    this.deps.cache.set(hash, replaced.token, now.getTime(), replaced.retiresAt.getTime());
    return { token: replaced.token, hash, retiresAt: replaced.retiresAt };
  }

  private cachedSecret(hash: string, now: Date): (FoundSecret & { token: TokenWithCreator }) | undefined {
    const cached = this.deps.cache.entry(hash, now.getTime());
    return cached && { token: cached.token, hash, retiresAt: cached.retiresAt === null ? null : new Date(cached.retiresAt) };
  }

  private async viaSession(secret: string, viaCookie: boolean, now: Date): Promise<Principal> {
    if (!isWellFormedSecret(secret, 'session')) throw Errors.sessionInvalid();
    const session = await this.deps.store.sessions.byHash(hashSecret(secret));
    if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime()) throw Errors.sessionInvalid();
    const user = await this.deps.store.users.byId(session.userId);
    if (!user) throw Errors.sessionInvalid();
    if (user.status !== 'active') throw Errors.userInactive(user.username);
    return userPrincipal({ id: user.id, username: user.username, role: user.role }, { id: session.id, viaCookie });
  }
}

/**
 * A derived credential's principal: its token's, limited to the scope it was issued for. The principal is
 * fresh, so it is set in place (a spread followed by a property is V8's slow object clone, per request).
 */
function withScope(principal: Principal, scope: readonly Grant[]): Principal {
  principal.scope = scope;
  return principal;
}

/** Basic auth's username must name the token, its creator, or be the generic `__token__`. */
function checkUsername(token: TokenWithCreator, username: string | undefined): TokenWithCreator {
  if (username !== undefined && username !== token.username && username !== token.creatorUsername && username !== GENERIC_TOKEN_USERNAME) {
    throw Errors.tokenUsernameMismatch();
  }
  return token;
}
