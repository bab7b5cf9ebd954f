import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { TokenCache } from '../auth/token-cache.js';
import type { Clock } from '../clock.js';
import type { InvalidationBus } from '../invalidation.js';
import { Errors } from '../errors.js';
import type { User } from '../model.js';
import type { MetadataStore } from '../ports.js';
import type { Mailer } from '../notifications/ports.js';
import { invitationEmail } from './invitation-email.js';
import { revokeTokens } from '../tokens/revoke-tokens.js';
import { generateSecret, hashSecret, isWellFormedSecret } from '../tokens/secret.js';
import { displayText, email, parseInput, password, slugName } from '../validation.js';
import { generatePassword, hashPassword } from './passwords.js';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export const inviteInput = z.strictObject({
  username: slugName(64),
  email,
  role: z.enum(['admin', 'developer'], { error: 'must be "admin" or "developer"' }),
  name: displayText(100).optional(),
  /** Email the link too (when SMTP is configured; the default then). */
  sendEmail: z.boolean().optional(),
});

export const updateUserInput = z
  .strictObject({
    role: z.enum(['admin', 'developer'], { error: 'must be "admin" or "developer"' }).optional(),
    status: z.enum(['active', 'deactivated'], { error: 'must be "active" or "deactivated"' }).optional(),
  })
  .refine((v) => v.role !== undefined || v.status !== undefined, 'give role and/or status');

export const acceptInvitationInput = z.strictObject({ token: z.string().min(1).max(200), password });

export interface UserServiceDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  cache: TokenCache;
  invalidations: InvalidationBus;
  publicUrl: URL;
  /** Sends invitation links by email when SMTP is configured. */
  mailer?: Mailer | null;
}

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  /**
   * On a store with no users, creates the first admin. Without a configured password one is generated
   * and returned so the caller can print it once.
   */
  async bootstrapAdmin(configured: { username?: string; password?: string }): Promise<{ username: string; generatedPassword?: string } | null> {
    if ((await this.deps.store.users.count()) > 0) return null;
    const username = parseInput(slugName(64), configured.username ?? 'admin', 'FLY_ADMIN_USERNAME');
    const chosen = configured.password ? parseInput(password, configured.password, 'FLY_ADMIN_PASSWORD') : generatePassword();
    await this.deps.store.users.insert({
      id: randomUUID(),
      username,
      email: `${username}@localhost`,
      name: null,
      role: 'admin',
      status: 'active',
      passwordHash: await hashPassword(chosen),
      createdAt: this.deps.clock.now(),
      lastLoginAt: null,
    });
    return configured.password ? { username } : { username, generatedPassword: chosen };
  }

  /** Offline password reset (flyreg admin): creates the admin if missing, re-activates it otherwise. */
  async resetPassword(username: string, newPassword: string): Promise<'created' | 'reset'> {
    const name = parseInput(slugName(64), username, 'username');
    const hash = await hashPassword(parseInput(password, newPassword, 'password'));
    const user = await this.deps.store.users.byUsername(name);
    await this.deps.store.transaction(async (tx) => {
      if (user) {
        await tx.users.update(user.id, { passwordHash: hash, status: 'active', role: 'admin' });
        await tx.sessions.revokeAllForUser(user.id, this.deps.clock.now());
      } else {
        await tx.users.insert({
          id: randomUUID(),
          username: name,
          email: `${name}@localhost`,
          name: null,
          role: 'admin',
          status: 'active',
          passwordHash: hash,
          createdAt: this.deps.clock.now(),
          lastLoginAt: null,
        });
      }
      await this.deps.audit.record(tx.audit, { actor: 'flyreg admin', action: 'user.password_reset', target: { type: 'user', name } }, null);
      // The admin may have been re-activated: running replicas must re-read its tokens.
      await this.deps.invalidations.publish({ kind: 'all-tokens' }, tx);
    });
    this.deps.cache.clear();
    return user ? 'reset' : 'created';
  }

  async list(actor: Principal): Promise<User[]> {
    authorize(actor, 'pull', { kind: 'users' });
    return this.deps.store.users.list();
  }

  async get(actor: Principal, id: string): Promise<User> {
    if (actor.user.id !== id) authorize(actor, 'pull', { kind: 'users' });
    const user = await this.deps.store.users.byId(id);
    if (!user) throw Errors.notFound('User', id);
    return user;
  }

  async invite(actor: Principal, input: unknown, ctx: RequestContext) {
    authorize(actor, 'manage', { kind: 'users' });
    const parsed = parseInput(inviteInput, input);
    if (await this.deps.store.users.byUsername(parsed.username)) throw Errors.conflict(`User ${parsed.username} already exists`);
    const now = this.deps.clock.now();
    const secret = generateSecret('invitation');
    const user: User = {
      id: randomUUID(),
      username: parsed.username,
      email: parsed.email,
      name: parsed.name ?? null,
      role: parsed.role,
      status: 'invited',
      passwordHash: null,
      createdAt: now,
      lastLoginAt: null,
    };
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    await this.deps.store.transaction(async (tx) => {
      await tx.users.insert(user);
      await tx.invitations.insert(this.invitationRecord(actor, user.id, secret, now, expiresAt));
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(actor), action: 'user.invited', target: { type: 'user', id: user.id, name: user.username }, details: { role: user.role } },
        ctx,
      );
    });
    const issued = this.issued(user, secret, expiresAt);
    return { ...issued, emailed: await this.emailInvitation(parsed.sendEmail, user, issued.invitationUrl, actor, expiresAt) };
  }

  /**
   * A new invitation link for someone invited who has not joined: the old link stops working in the same
   * transaction (its row is deleted), so only the newest link handed over can claim the account.
   */
  async resendInvitation(actor: Principal, id: string, ctx: RequestContext) {
    authorize(actor, 'manage', { kind: 'users' });
    const user = await this.invitedUser(id, 'resent');
    const now = this.deps.clock.now();
    const secret = generateSecret('invitation');
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    await this.deps.store.transaction(async (tx) => {
      await tx.invitations.deleteOpenForUser(user.id);
      await tx.invitations.insert(this.invitationRecord(actor, user.id, secret, now, expiresAt));
      await this.deps.audit.record(tx.audit, { actor: actorName(actor), action: 'user.invitation_resent', target: { type: 'user', id: user.id, name: user.username } }, ctx);
    });
    const issued = this.issued(user, secret, expiresAt);
    return { ...issued, emailed: await this.emailInvitation(undefined, user, issued.invitationUrl, actor, expiresAt) };
  }

  /** Deletes someone invited who never joined (an account that did join is deactivated instead, keeping its history). */
  async deleteInvited(actor: Principal, id: string, ctx: RequestContext): Promise<void> {
    authorize(actor, 'manage', { kind: 'users' });
    const user = await this.invitedUser(id, 'deleted');
    await this.deps.store.transaction(async (tx) => {
      // Checked again under the write: the invitation may have been accepted since it was read.
      if (!(await tx.users.deleteInvited(user.id))) throw notInvited(user.username, 'deleted');
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(actor), action: 'user.deleted', target: { type: 'user', id: user.id, name: user.username }, details: { email: user.email, role: user.role } },
        ctx,
      );
    });
  }

  private async invitedUser(id: string, verb: 'resent' | 'deleted'): Promise<User> {
    const user = await this.deps.store.users.byId(id);
    if (!user) throw Errors.notFound('User', id);
    if (user.status !== 'invited') throw notInvited(user.username, verb);
    return user;
  }

  private invitationRecord(actor: Principal, userId: string, secret: string, now: Date, expiresAt: Date) {
    return { id: randomUUID(), userId, secretHash: hashSecret(secret), createdBy: actor.user.id, createdAt: now, expiresAt, acceptedAt: null };
  }

  private issued(user: User, secret: string, expiresAt: Date) {
    return { user, invitationToken: secret, invitationUrl: new URL(`invite/${secret}`, withSlash(this.deps.publicUrl)).href, expiresAt };
  }

  /**
   * Sends the link straight away rather than through the delivery queue, so the secret link is never stored.
   * A failure does not undo the invitation: the admin still has the link to hand over, and is told.
   */
  private async emailInvitation(wanted: boolean | undefined, user: User, link: string, actor: Principal, expiresAt: Date): Promise<boolean> {
    if (!this.deps.mailer || wanted === false) return false;
    try {
      await this.deps.mailer.send(invitationEmail(user.email, link, actor.user.username, expiresAt));
      return true;
    } catch {
      return false;
    }
  }

  /** What the sign-up page shows before the password is set. */
  async invitation(secret: string): Promise<{ username: string; email: string; expiresAt: Date }> {
    const { user, invitation } = await this.openInvitation(secret);
    return { username: user.username, email: user.email, expiresAt: invitation.expiresAt };
  }

  async acceptInvitation(input: unknown, ctx: RequestContext): Promise<User> {
    const parsed = parseInput(acceptInvitationInput, input);
    const { user, invitation } = await this.openInvitation(parsed.token);
    const hash = await hashPassword(parsed.password);
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.invitations.markAccepted(invitation.id, this.deps.clock.now()))) throw invitationGone();
      await tx.users.update(user.id, { passwordHash: hash, status: 'active' });
      await this.deps.audit.record(tx.audit, { actor: user.username, action: 'user.activated', target: { type: 'user', id: user.id, name: user.username } }, ctx);
    });
    return { ...user, status: 'active' };
  }

  async update(actor: Principal, id: string, input: unknown, ctx: RequestContext): Promise<User> {
    authorize(actor, 'manage', { kind: 'users' });
    const parsed = parseInput(updateUserInput, input);
    const user = await this.deps.store.users.byId(id);
    if (!user) throw Errors.notFound('User', id);
    // Only accepting an invitation activates an account that never set a password (an invited user,
    // deactivated before accepting, stays without one): an active account always has its own password.
    if (parsed.status === 'active' && user.status !== 'active' && user.passwordHash === null) {
      throw Errors.conflict('An invited user becomes active by accepting the invitation: this account never set a password');
    }
    const losesAdmin =
      user.role === 'admin' && user.status === 'active' && (parsed.role === 'developer' || parsed.status === 'deactivated');
    await this.deps.store.transaction(async (tx) => {
      if (losesAdmin && (await tx.users.countActiveAdmins()) <= 1) throw Errors.conflict('The last active admin cannot be demoted or deactivated');
      await tx.users.update(id, parsed);
      const target = { type: 'user', id, name: user.username };
      if (parsed.role && parsed.role !== user.role) {
        await this.deps.audit.record(tx.audit, { actor: actorName(actor), action: 'user.role_changed', target, details: { from: user.role, to: parsed.role } }, ctx);
      }
      if (parsed.status && parsed.status !== user.status) {
        const action = parsed.status === 'deactivated' ? 'user.deactivated' : 'user.reactivated';
        if (parsed.status === 'deactivated') {
          // Revoked for good, not just refused while deactivated: reactivating the account must not bring back
          // credentials that may have leaked with it (it is often deactivated because someone left). The user
          // creates new tokens once active again.
          await tx.sessions.revokeAllForUser(id, this.deps.clock.now());
          const tokens = await tx.tokens.list({ createdBy: id });
          await revokeTokens(tx, { audit: this.deps.audit, now: this.deps.clock.now() }, actor, tokens, `user ${user.username} deactivated`, ctx);
        }
        await this.deps.audit.record(tx.audit, { actor: actorName(actor), action, target }, ctx);
      }
      // Cached token records carry their creator's status and role: every replica must re-read them.
      await this.deps.invalidations.publish({ kind: 'all-tokens' }, tx);
    });
    // A deactivated creator's tokens stop working: cached records must be re-read.
    this.deps.cache.clear();
    return { ...user, ...parsed };
  }

  private async openInvitation(secret: string) {
    if (!isWellFormedSecret(secret, 'invitation')) throw invitationGone();
    const invitation = await this.deps.store.invitations.byHash(hashSecret(secret));
    if (!invitation || invitation.acceptedAt || invitation.expiresAt.getTime() <= this.deps.clock.now().getTime()) throw invitationGone();
    const user = await this.deps.store.users.byId(invitation.userId);
    if (!user || user.status !== 'invited') throw invitationGone();
    return { user, invitation };
  }
}

const invitationGone = () => Errors.invitationInvalid();
const notInvited = (username: string, verb: 'resent' | 'deleted') =>
  Errors.conflict(
    verb === 'resent'
      ? `${username} has already joined: only an invitation not yet accepted can be resent`
      : `${username} has already joined: deactivate them instead (only someone who never joined can be deleted)`,
  );

/** The URL as a base that relative paths extend (a public URL may sit under a path). */
export function withSlash(url: URL): URL {
  return url.href.endsWith('/') ? url : new URL(`${url.href}/`);
}
