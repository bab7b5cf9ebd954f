import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { TokenCache } from '../auth/token-cache.js';
import type { Clock } from '../clock.js';
import type { InvalidationBus } from '../invalidation.js';
import { Errors } from '../errors.js';
import { tokenStatus, type Permission, type TokenStatus, type TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';
import { displayText, parseInput } from '../validation.js';
import { generateSecret, hashSecret } from './secret.js';
import { clientSnippets, type ClientSnippets } from './snippets.js';

export const createTokenInput = z.strictObject({
  name: displayText(100),
  permission: z.enum(['read-only', 'read-write'], { error: 'must be "read-only" or "read-write"' }),
  expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time or null (never)' }).nullable(),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

/** A token as the API and dashboard show it: never the secret, never its hash. */
export interface TokenView {
  id: string;
  name: string;
  username: string;
  permission: Permission;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  status: TokenStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  environmentId: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  lastUsedClient: string | null;
  useCount: number;
}

export interface CreatedToken extends TokenView {
  /** The secret: returned here once and never again. */
  token: string;
  snippets: ClientSnippets;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface TokenServiceDeps {
  store: MetadataStore;
  clock: Clock;
  cache: TokenCache;
  invalidations: InvalidationBus;
  audit: AuditLog;
  publicUrl: URL;
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  view(t: TokenWithCreator): TokenView {
    return {
      id: t.id,
      name: t.name,
      username: t.username,
      permission: t.permission,
      createdBy: t.creatorUsername,
      createdAt: t.createdAt.toISOString(),
      expiresAt: iso(t.expiresAt),
      status: tokenStatus(t, this.deps.clock.now()),
      revokedAt: iso(t.revokedAt),
      revokedBy: t.revokedBy,
      environmentId: t.environmentId,
      lastUsedAt: iso(t.lastUsedAt),
      lastUsedIp: t.lastUsedIp,
      lastUsedClient: t.lastUsedClient,
      useCount: t.useCount,
    };
  }

  async create(actor: Principal, input: unknown, ctx: RequestContext): Promise<CreatedToken> {
    authorize(actor, 'push', { kind: 'tokens' });
    const parsed = parseInput(createTokenInput, input);
    const now = this.deps.clock.now();
    const expiresAt = parsed.expiresAt === null ? null : new Date(parsed.expiresAt);
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      throw Errors.validation('expiresAt must be in the future (or null for a token that never expires)', [
        { path: 'expiresAt', message: 'must be in the future' },
      ]);
    }
    const secret = generateSecret('token');
    const id = randomUUID();
    const created = await this.deps.store.transaction(async (tx) => {
      const username = await uniqueTokenUsername(tx, parsed.name);
      await tx.tokens.insert({
        id,
        name: parsed.name,
        username,
        permission: parsed.permission,
        createdBy: actor.user.id,
        createdAt: now,
        expiresAt,
        revokedAt: null,
        revokedBy: null,
        environmentId: null,
        secretHash: hashSecret(secret),
        lastUsedAt: null,
        lastUsedIp: null,
        lastUsedClient: null,
        useCount: 0,
      });
      await this.deps.audit.record(
        tx.audit,
        {
          actor: actorName(actor),
          action: 'token.created',
          target: { type: 'token', id, name: parsed.name },
          details: { username, permission: parsed.permission, expiresAt: iso(expiresAt) },
        },
        ctx,
      );
      return tx.tokens.byId(id);
    });
    if (!created) throw new Error('token vanished inside its own creation transaction');
    return { ...this.view(created), token: secret, snippets: clientSnippets(this.deps.publicUrl, created.username, secret) };
  }

  async list(actor: Principal): Promise<TokenView[]> {
    authorize(actor, 'pull', { kind: 'tokens' });
    const tokens = await this.deps.store.tokens.list();
    return tokens.map((t) => this.view(t));
  }

  async get(actor: Principal, id: string): Promise<TokenView> {
    return this.view(await this.load(actor, 'pull', id));
  }

  /** Revocation is immediate and permanent; revoking again changes nothing and says so. */
  async revoke(actor: Principal, id: string, ctx: RequestContext): Promise<{ token: TokenView; alreadyRevoked: boolean }> {
    const token = await this.load(actor, 'manage', id);
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
    return { token: this.view(fresh ?? token), alreadyRevoked: !revokedNow };
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

  private async load(actor: Principal, action: 'pull' | 'manage' | 'delete', id: string): Promise<TokenWithCreator> {
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
