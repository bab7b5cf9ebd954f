import type { Clock } from '../clock.js';
import { Errors, isAppError, type ErrorCode } from '../errors.js';
import { tokenStatus, type TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';
import { constantTimeEqual, hashSecret, isWellFormedSecret, SECRET_PREFIX } from '../tokens/secret.js';
import type { UsageRecorder } from '../tokens/usage-recorder.js';
import { accountKey, type FailureLimiter, type ReservedAttempt } from './failure-limiter.js';
import type { Credential, Principal, RequestContext } from './principal.js';
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

/** The username Basic auth accepts for any token (PyPI's convention). */
export const GENERIC_TOKEN_USERNAME = '__token__';

export interface AuthenticatorDeps {
  store: MetadataStore;
  clock: Clock;
  cache: TokenCache;
  limiter: FailureLimiter;
  usage: UsageRecorder;
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
      this.noteFailure(error, ctx, now);
      throw error;
    }
  }

  /**
   * Re-authenticates a registry token by its id, with the same status checks as its secret would get.
   * Credentials derived from a token (the OCI registry's short-lived bearer tokens) call this on every
   * request, so revoking, expiring or deleting the token stops them at once.
   */
  async authenticateTokenId(tokenId: string, ctx: RequestContext): Promise<Principal> {
    const now = this.deps.clock.now();
    this.deps.limiter.check(ctx.ip, now.getTime());
    try {
      let token = this.deps.cache.getById(tokenId, now.getTime());
      if (!token) {
        token = await this.deps.store.tokens.byId(tokenId);
        if (!token) throw Errors.tokenUnknown();
        this.deps.cache.set(token.secretHash, token, now.getTime());
      }
      return this.tokenPrincipal(token, ctx, now);
    } catch (error) {
      this.noteFailure(error, ctx, now);
      throw error;
    }
  }

  /** Counts a failed attempt (also used by password login, which is not a credential lookup). */
  noteFailure(error: unknown, ctx: RequestContext, now: Date): void {
    if (isAppError(error) && COUNTED_FAILURES.has(error.code)) this.deps.limiter.recordFailure(ctx.ip, now.getTime());
  }

  /**
   * A password check about to run (scrypt): counted up front against the address and the account, so
   * parallel guesses cannot all be verified before the first failure is recorded. Throws rate_limited.
   */
  reservePasswordAttempt(username: string, ctx: RequestContext): ReservedAttempt {
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
        return credential.secret.startsWith(SECRET_PREFIX.session)
          ? this.viaSession(credential.secret, false, now)
          : this.viaToken(credential.secret, undefined, ctx, now);
      case 'session-cookie':
        return this.viaSession(credential.secret, true, now);
    }
  }

  private async viaToken(secret: string, username: string | undefined, ctx: RequestContext, now: Date): Promise<Principal> {
    if (!isWellFormedSecret(secret, 'token')) throw Errors.tokenUnknown();
    const token = await this.lookupToken(secret, now);
    if (
      username !== undefined &&
      username !== token.username &&
      username !== token.creatorUsername &&
      username !== GENERIC_TOKEN_USERNAME
    ) {
      throw Errors.tokenUsernameMismatch();
    }
    return this.tokenPrincipal(token, ctx, now);
  }

  private tokenPrincipal(token: TokenWithCreator, ctx: RequestContext, now: Date): Principal {
    const status = tokenStatus(token, now);
    if (status === 'revoked') throw Errors.tokenRevoked(token.revokedAt as Date);
    if (status === 'expired') throw Errors.tokenExpired(token.expiresAt as Date);
    if (token.creatorStatus !== 'active') throw Errors.userInactive(token.creatorUsername);
    this.deps.usage.record(token.id, now, ctx.ip, ctx.userAgent);
    return {
      kind: 'token',
      user: { id: token.createdBy, username: token.creatorUsername, role: token.creatorRole },
      token: {
        id: token.id,
        name: token.name,
        username: token.username,
        permission: token.permission,
        environmentId: token.environmentId,
      },
      session: null,
      permission: token.permission,
      environmentId: token.environmentId,
    };
  }

  private async lookupToken(secret: string, now: Date): Promise<TokenWithCreator> {
    const hash = hashSecret(secret);
    let token = this.deps.cache.get(hash, now.getTime());
    if (!token) {
      token = await this.deps.store.tokens.byHash(hash);
      if (!token) throw Errors.tokenUnknown();
      this.deps.cache.set(hash, token, now.getTime());
    }
    if (!constantTimeEqual(token.secretHash, hash)) throw Errors.tokenUnknown();
    return token;
  }

  private async viaSession(secret: string, viaCookie: boolean, now: Date): Promise<Principal> {
    if (!isWellFormedSecret(secret, 'session')) throw Errors.sessionInvalid();
    const session = await this.deps.store.sessions.byHash(hashSecret(secret));
    if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime()) throw Errors.sessionInvalid();
    const user = await this.deps.store.users.byId(session.userId);
    if (!user) throw Errors.sessionInvalid();
    if (user.status !== 'active') throw Errors.userInactive(user.username);
    return {
      kind: 'user',
      user: { id: user.id, username: user.username, role: user.role },
      token: null,
      session: { id: session.id, viaCookie },
      permission: 'read-write',
      environmentId: null,
    };
  }
}
