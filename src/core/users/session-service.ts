import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { Authenticator } from '../auth/authenticate.js';
import { userPrincipal, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { User } from '../model.js';
import type { MetadataStore } from '../ports.js';
import type { CredentialHelperService } from '../tokens/credential-helper.js';
import { constantTimeEqual, generateSecret, hashSecret } from '../tokens/secret.js';
import { parseInput } from '../validation.js';
import { verifyPassword } from './passwords.js';

export const loginInput = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
});

export interface LoginResult {
  user: User;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The CSRF token is derived from the session secret, so it needs no storage and dies with the session.
 * A page can read it from the login answer; a cross-site form cannot.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`csrf:${sessionSecret}`).digest('base64url');
}

export function csrfMatches(sessionSecret: string, header: string | undefined): boolean {
  return header !== undefined && constantTimeEqual(csrfTokenFor(sessionSecret), header);
}

export interface SessionServiceDeps {
  store: MetadataStore;
  clock: Clock;
  /** Logging out ends the session's credential helper tokens too. */
  credentialHelper: CredentialHelperService;
  audit: AuditLog;
  authenticator: Authenticator;
  sessionTtlMs: number;
}

export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  async login(input: unknown, ctx: RequestContext): Promise<LoginResult> {
    const user = await this.checkPassword(input, ctx);
    return this.deps.store.transaction((tx) => this.issue(tx, user, ctx));
  }

  /**
   * Starts a session for a user whose identity is already proven (a password, or an approval in the
   * browser for `flyreg login`), through `tx`, with its audit event.
   */
  async issue(tx: MetadataStore, user: User, ctx: RequestContext, details: Record<string, unknown> = {}): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const secret = generateSecret('session');
    const expiresAt = new Date(now.getTime() + this.deps.sessionTtlMs);
    await tx.sessions.insert({ id: randomUUID(), userId: user.id, secretHash: hashSecret(secret), createdAt: now, expiresAt, revokedAt: null });
    await tx.users.update(user.id, { lastLoginAt: now });
    await this.deps.audit.record(tx.audit, { actor: user.username, action: 'login.succeeded', target: { type: 'user', id: user.id, name: user.username }, details }, ctx);
    return { user: { ...user, lastLoginAt: now }, sessionToken: secret, csrfToken: csrfTokenFor(secret), expiresAt };
  }

  /**
   * The user acting in person, proven by their password, for registry clients that log in without a
   * browser (`npm login`, `npm token create`). Rate-limited, counted and audited like a web login.
   */
  async passwordPrincipal(input: unknown, ctx: RequestContext): Promise<Principal> {
    const user = await this.checkPassword(input, ctx);
    return userPrincipal({ id: user.id, username: user.username, role: user.role }, null);
  }

  /**
   * Verifies username and password through the failure limiter (the attempt is reserved before scrypt runs,
   * per address and per account); failures are audited.
   */
  private async checkPassword(input: unknown, ctx: RequestContext): Promise<User> {
    this.deps.authenticator.checkRateLimit(ctx);
    const { username, password } = parseInput(loginInput, input);
    const attempt = await this.deps.authenticator.reservePasswordAttempt(username, ctx);
    const user = await this.deps.store.users.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !ok || user.status !== 'active') {
      attempt.failed();
      const reason = user && ok ? Errors.userInactive(user.username).code : Errors.invalidCredentials().code;
      await this.deps.audit.record(
        this.deps.store.audit,
        { actor: username.slice(0, 64), action: 'login.failed', target: { type: 'user', id: user?.id ?? null, name: username.slice(0, 64) }, details: { reason } },
        ctx,
      );
      // The same answer as a wrong password: a refusal must not reveal that a deactivated account's password is right.
      throw Errors.invalidCredentials();
    }
    await attempt.succeeded();
    return user;
  }

  async logout(principal: Principal, ctx: RequestContext): Promise<void> {
    if (!principal.session) throw Errors.forbidden('Only a login session can log out; revoke a registry token instead');
    const sessionId = principal.session.id;
    const revoked = await this.deps.store.transaction(async (tx) => {
      await tx.sessions.revoke(sessionId, this.deps.clock.now());
      await this.deps.audit.record(tx.audit, { actor: principal.user.username, action: 'logout', target: { type: 'user', id: principal.user.id, name: principal.user.username } }, ctx);
      return this.deps.credentialHelper.revokeForSession(tx, principal, sessionId, ctx);
    });
    this.deps.credentialHelper.forget(revoked);
  }
}
