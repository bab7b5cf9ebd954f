import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { InvalidationBus } from '../invalidation.js';
import type { MetadataStore } from '../ports.js';
import { displayText, parseInput } from '../validation.js';
import { deriveSecret, hashSecret } from './secret.js';
import { permissionInput, type TokenDetails, type TokenService } from './token-service.js';

/** A helper token lives an hour; it is handed out again until this close to its end, then replaced. */
export const HELPER_TOKEN_TTL_MS = 60 * 60 * 1000;
export const HELPER_TOKEN_REUSE_MARGIN_MS = 5 * 60 * 1000;

export const helperTokenInput = z.strictObject({
  /** The machine, for the token's name. */
  hostname: displayText(100).optional(),
  permission: permissionInput.default('read-write'),
});

/** A helper token's link to the login session it was derived from. */
export interface HelperToken {
  tokenId: string;
  sessionId: string;
  /** Mixed into the derivation, so each token of one session has its own secret. */
  nonce: string;
}

export interface HelperTokenStore {
  insert(link: HelperToken): Promise<void>;
  forSession(sessionId: string): Promise<HelperToken[]>;
  /** Which of these tokens are helper tokens. */
  among(tokenIds: string[]): Promise<Set<string>>;
}

export interface CredentialHelperDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  tokens: TokenService;
  invalidations: InvalidationBus;
}

export interface HelperCredential {
  token: TokenDetails;
  secret: string;
  reused: boolean;
}

/**
 * Short-lived tokens for `docker-credential-flyreg`: minted for a login session, their secret derived
 * from the session secret (HMAC), so the helper can get the same token again on every `get` without
 * anything but the login being kept on disk, and the server stores only the token's hash as ever. Logging
 * out revokes them.
 */
export class CredentialHelperService {
  constructor(private readonly deps: CredentialHelperDeps) {}

  /** The session's current helper token (when it has over 5 minutes left), else a new one. */
  async token(actor: Principal, sessionSecret: string, input: unknown, ctx: RequestContext): Promise<HelperCredential> {
    if (!actor.session) throw Errors.forbidden('Credential helper tokens are minted for a login session (flyreg login), not for a registry token');
    authorize(actor, 'push', { kind: 'tokens' });
    const parsed = parseInput(helperTokenInput, input ?? {});
    const sessionId = actor.session.id;
    const now = this.deps.clock.now();
    for (const link of await this.deps.store.helperTokens.forSession(sessionId)) {
      const token = await this.deps.store.tokens.byId(link.tokenId);
      if (!token || token.revokedAt || token.permission !== parsed.permission) continue;
      if (!token.expiresAt || token.expiresAt.getTime() - now.getTime() <= HELPER_TOKEN_REUSE_MARGIN_MS) continue;
      const secret = deriveSecret('token', sessionSecret, `credential-helper:${link.nonce}`);
      // Another session's secret would derive another value: only the session that minted it gets it back.
      if (hashSecret(secret) !== token.secretHash) continue;
      return { token: this.deps.tokens.details(token), secret, reused: true };
    }
    const nonce = randomBytes(16).toString('hex');
    const secret = deriveSecret('token', sessionSecret, `credential-helper:${nonce}`);
    const { token } = await this.deps.store.transaction(async (tx) => {
      const created = await this.deps.tokens.insert(tx, actor, {
        name: `credential helper${parsed.hostname ? ` (${parsed.hostname})` : ''}`,
        permission: parsed.permission,
        expiresAt: new Date(now.getTime() + HELPER_TOKEN_TTL_MS),
        environment: null,
        secret,
      }, ctx, { details: { credentialHelper: true } });
      await tx.helperTokens.insert({ tokenId: created.token.id, sessionId, nonce });
      return created;
    });
    return { token: this.deps.tokens.details(token), secret, reused: false };
  }

  /** Revokes the session's helper tokens (logout, or the helper's `erase`); returns their ids. */
  async revokeForSession(tx: MetadataStore, actor: Principal, sessionId: string, ctx: RequestContext): Promise<string[]> {
    const now = this.deps.clock.now();
    const revoked: string[] = [];
    for (const link of await tx.helperTokens.forSession(sessionId)) {
      const token = await tx.tokens.byId(link.tokenId);
      if (!token || !(await tx.tokens.revoke(link.tokenId, now, actor.user.username))) continue;
      revoked.push(link.tokenId);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(actor), action: 'token.revoked', target: { type: 'token', id: token.id, name: token.name }, details: { username: token.username, reason: 'logged out' } },
        ctx,
      );
      await this.deps.invalidations.publish({ kind: 'token', tokenId: token.id }, tx);
    }
    return revoked;
  }

  /** Drops revoked tokens from the verification cache once their transaction has committed. */
  forget(tokenIds: string[]): void {
    this.deps.tokens.forget(tokenIds);
  }

  /** `erase`: the current session's helper tokens end now. */
  async erase(actor: Principal, ctx: RequestContext): Promise<number> {
    if (!actor.session) throw Errors.forbidden('Only a login session has credential helper tokens');
    const sessionId = actor.session.id;
    const revoked = await this.deps.store.transaction((tx) => this.revokeForSession(tx, actor, sessionId, ctx));
    this.forget(revoked);
    return revoked.length;
  }

  /** Listings show helper tokens while they work and drop them once expired or revoked. */
  async visible(tokens: TokenDetails[]): Promise<{ token: TokenDetails; credentialHelper: boolean }[]> {
    const helpers = await this.deps.store.helperTokens.among(tokens.map((t) => t.id));
    return tokens
      .map((token) => ({ token, credentialHelper: helpers.has(token.id) }))
      .filter(({ token, credentialHelper }) => !credentialHelper || token.status === 'active');
  }
}
