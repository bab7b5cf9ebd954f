import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { Authenticator } from '../auth/authenticate.js';
import { authorize } from '../auth/authorize.js';
import { userPrincipal, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import type { ClientTokenService } from '../tokens/client-tokens.js';
import { constantTimeEqual, generateSecret, hashSecret, isWellFormedSecret } from '../tokens/secret.js';
import type { SessionService } from '../users/session-service.js';
import { withSlash } from '../users/user-service.js';
import { parseInput } from '../validation.js';
import { webLoginState, type NpmWebLogin, type NpmWebLoginState } from './web-login-model.js';

/** npm's POST body: `{hostname}` (npm 9+) or nothing at all (older clients). */
export const webLoginStartInput = z.looseObject({ hostname: z.string().max(255).optional() });

/**
 * Opening a request needs no credential, so pending requests are capped: per address (a person needs one
 * or two at a time) and in all (a flood from many addresses cannot fill the table).
 */
export const MAX_PENDING_PER_ADDRESS = 10;
export const MAX_PENDING_TOTAL = 1000;

/** How long npm waits between polls while nobody has decided (the Retry-After it is given). */
export const POLL_INTERVAL_SECONDS = 1;

export interface NpmWebLoginDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  authenticator: Authenticator;
  clientTokens: ClientTokenService;
  /** An approved `flyreg login` receives a login session from it. */
  sessions: SessionService;
  publicUrl: URL;
  ttlMs: number;
}

/** A request just opened: where the person goes, and the secret only npm holds. */
export interface StartedWebLogin {
  id: string;
  loginUrl: string;
  doneSecret: string;
  expiresAt: Date;
  /** The code a `flyreg login` prints, which the approval page shows too (null for npm). */
  userCode: string | null;
}

/** What the approval page shows. */
export interface WebLoginView {
  login: NpmWebLogin;
  state: NpmWebLoginState;
}

/** `secret` is a registry token for npm, a login session for the flyreg CLI (which expires at `expiresAt`). */
export type PollResult = { state: 'pending'; retryAfterSeconds: number } | { state: 'issued'; secret: string; expiresAt: Date | null };

/** Letters and digits nobody misreads (no 0/O, 1/I/L): 8 of them carry 40 bits, plenty for a 10-minute code. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function userCode(): string {
  const chars = [...randomBytes(8)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * `npm login --auth-type=web`: npm opens a request and polls it with a secret only it holds; a signed-in
 * user approves it on the dashboard page the request's public id names; the first poll after approval
 * creates that user's npm login token and ends the request, in one transaction.
 */
export class NpmWebLoginService {
  constructor(private readonly deps: NpmWebLoginDeps) {}

  /** `client` cli: `flyreg login`, whose approval gives it a login session rather than a registry token. */
  async start(input: unknown, ctx: RequestContext, client: 'npm' | 'cli' = 'npm'): Promise<StartedWebLogin> {
    // Unauthenticated: an address that keeps failing authentication may not open requests either.
    this.deps.authenticator.checkRateLimit(ctx);
    const { hostname } = parseInput(webLoginStartInput, input, 'Login request');
    const now = this.deps.clock.now();
    const id = randomUUID();
    const doneSecret = generateSecret('npmWebLogin');
    const expiresAt = new Date(now.getTime() + this.deps.ttlMs);
    const code = client === 'cli' ? userCode() : null;
    await this.deps.store.transaction(async (tx) => {
      await tx.npmWebLogins.deleteExpired(new Date(now.getTime() - this.deps.ttlMs));
      const pending = await tx.npmWebLogins.countPending(now, ctx.ip);
      if (pending.fromAddress >= MAX_PENDING_PER_ADDRESS || pending.total >= MAX_PENDING_TOTAL) {
        // Pending requests end by decision or expiry; a minute is a fair time to come back.
        throw Errors.rateLimited(60, 'pending npm login requests');
      }
      await tx.npmWebLogins.insert({
        id,
        doneSecretHash: hashSecret(doneSecret),
        hostname: hostname?.trim() || null,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        createdAt: now,
        expiresAt,
        decision: null,
        decidedBy: null,
        decidedAt: null,
        consumedAt: null,
        client,
        userCode: code,
      });
    });
    const page = client === 'cli' ? 'cli-login' : 'npm-login';
    return { id, loginUrl: new URL(`${page}/${id}`, withSlash(this.deps.publicUrl)).href, doneSecret, expiresAt, userCode: code };
  }

  async view(actor: Principal, id: string): Promise<WebLoginView> {
    authorize(actor, 'pull', { kind: 'npm-login' });
    const login = await this.load(id);
    return { login, state: webLoginState(login, this.deps.clock.now()) };
  }

  approve(actor: Principal, id: string, ctx: RequestContext): Promise<WebLoginView> {
    return this.decide(actor, id, 'approved', ctx);
  }

  deny(actor: Principal, id: string, ctx: RequestContext): Promise<WebLoginView> {
    return this.decide(actor, id, 'denied', ctx);
  }

  /**
   * npm's poll. Pending: wait. Approved: the first poll consumes the request and gets a new token in the
   * same transaction, so two polls can never both get one. Anything else fails with the reason.
   */
  async poll(id: string, doneSecret: string, ctx: RequestContext, client: 'npm' | 'cli' = 'npm'): Promise<PollResult> {
    this.deps.authenticator.checkRateLimit(ctx);
    const now = this.deps.clock.now();
    const login = z.uuid().safeParse(id).success ? await this.deps.store.npmWebLogins.byId(id) : undefined;
    // Each client polls its own kind of request: npm's route never hands out a CLI session, nor the reverse.
    if (!login || login.client !== client || !isWellFormedSecret(doneSecret, 'npmWebLogin') || !constantTimeEqual(login.doneSecretHash, hashSecret(doneSecret))) {
      // A guessed id or secret counts towards the address's limit like a wrong password.
      await this.deps.authenticator.noteFailure(Errors.invalidCredentials(), ctx, now);
      throw Errors.npmWebLoginUnknown();
    }
    const state = webLoginState(login, now);
    if (state === 'pending') return { state, retryAfterSeconds: POLL_INTERVAL_SECONDS };
    if (state !== 'approved') throw Errors.npmWebLoginEnded(state);
    const issued = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.npmWebLogins.consume(id, now))) return null;
      const user = await tx.users.byId(login.decidedBy ?? '');
      if (!user || user.status !== 'active') throw Errors.userInactive(user?.username ?? 'who approved this login');
      if (login.client === 'cli') {
        const session = await this.deps.sessions.issue(tx, user, ctx, { via: 'browser', request: id });
        return { secret: session.sessionToken, expiresAt: session.expiresAt };
      }
      const principal: Principal = userPrincipal({ id: user.id, username: user.username, role: user.role }, null);
      const created = await this.deps.clientTokens.issueNpmLoginToken(tx, principal, ctx);
      await this.deps.audit.record(
        tx.audit,
        { actor: user.username, action: 'npm_login.token_issued', target: { type: 'token', id: created.token.id, name: created.token.name }, details: { request: id } },
        ctx,
      );
      return { secret: created.secret, expiresAt: null };
    });
    // Lost the race to another poll (or the request expired in between): that poll has the token.
    if (issued === null) throw Errors.npmWebLoginEnded('consumed');
    return { state: 'issued', ...issued };
  }

  private async decide(actor: Principal, id: string, decision: 'approved' | 'denied', ctx: RequestContext): Promise<WebLoginView> {
    authorize(actor, 'push', { kind: 'npm-login' });
    const login = await this.load(id);
    const now = this.deps.clock.now();
    const decided = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.npmWebLogins.decide(id, decision, actor.user.id, now))) return false;
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actor.user.username,
          action: decision === 'approved' ? 'npm_login.approved' : 'npm_login.denied',
          target: { type: 'npm_login', id, name: login.hostname },
          details: { requestIp: login.ip },
        },
        ctx,
      );
      return true;
    });
    if (!decided) {
      const state = webLoginState((await this.deps.store.npmWebLogins.byId(id)) ?? login, now);
      throw state === 'expired' ? Errors.npmWebLoginEnded(state) : Errors.conflict(`This npm login request was already ${state === 'consumed' ? 'approved and used' : state}`);
    }
    return this.view(actor, id);
  }

  private async load(id: string): Promise<NpmWebLogin> {
    const login = z.uuid().safeParse(id).success ? await this.deps.store.npmWebLogins.byId(id) : undefined;
    if (!login) throw Errors.npmWebLoginUnknown();
    return login;
  }
}
