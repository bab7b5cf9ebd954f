import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import type { Principal, RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { Permission, TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';
import type { SessionService } from '../users/session-service.js';
import type { IssuedToken, TokenService } from './token-service.js';

export interface ClientTokenRequest {
  name: string;
  permission: Permission;
  /** Lifetime in days; omitted = never expires. */
  expiresInDays?: number;
}

export interface ClientTokenDeps {
  tokens: TokenService;
  sessions: SessionService;
  store: MetadataStore;
  audit: AuditLog;
  clock: Clock;
}

const DAY_MS = 24 * 3600 * 1000;

/** How a token from `npm login` (password or web) is named in the token list: by the address it came from. */
export function npmLoginTokenName(ctx: RequestContext): string {
  return `npm login (${ctx.ip ?? 'unknown address'})`;
}

/**
 * How registry clients that have no browser session get tokens (`npm login`, `npm token create`):
 * by proving the user's password, through the same check, limiter and audit as a web login. The new
 * token is then created by that user, exactly as if they had used the dashboard. (Listing and revoking
 * with a registry token is the rule in authorize.ts for the own-tokens resource, via TokenService.)
 */
export class ClientTokenService {
  constructor(private readonly deps: ClientTokenDeps) {}

  /** `npm login` (legacy): username and password in exchange for a new read & write token. */
  async login(username: string, password: string, ctx: RequestContext): Promise<IssuedToken> {
    const user = await this.deps.sessions.passwordPrincipal({ username, password }, ctx);
    const tokenName = npmLoginTokenName(ctx);
    await this.deps.audit.record(
      this.deps.store.audit,
      { actor: user.user.username, action: 'login.succeeded', target: { type: 'user', id: user.user.id, name: user.user.username }, details: { via: tokenName } },
      ctx,
    );
    const { token, secret } = await this.deps.store.transaction((tx) => this.issueNpmLoginToken(tx, user, ctx));
    return this.deps.tokens.created(token, secret);
  }

  /**
   * The token every `npm login` ends with (legacy and web): read & write, never expiring, created by `user`
   * through `tx`, so a caller can land it together with its own change (the web login's consumption).
   */
  async issueNpmLoginToken(tx: MetadataStore, user: Principal, ctx: RequestContext): Promise<{ token: TokenWithCreator; secret: string }> {
    authorize(user, 'push', { kind: 'tokens' });
    return this.deps.tokens.insert(tx, user, { name: npmLoginTokenName(ctx), permission: 'read-write', expiresAt: null, environment: null }, ctx);
  }

  /** `npm token create`: the caller's user, proven by their password, creates a token. */
  async create(actor: Principal, password: string, request: ClientTokenRequest, ctx: RequestContext): Promise<IssuedToken> {
    const user = await this.deps.sessions.passwordPrincipal({ username: actor.user.username, password }, ctx);
    const expiresAt = request.expiresInDays === undefined ? null : new Date(this.deps.clock.now().getTime() + request.expiresInDays * DAY_MS).toISOString();
    return this.deps.tokens.create(user, { name: request.name, permission: request.permission, expiresAt }, ctx);
  }
}
