import type { Kysely, Selectable } from 'kysely';
import type { Invitation, Session } from '../../../core/model.js';
import type { InvitationStore, SessionStore } from '../../../core/ports.js';
import { toDate, toDateOrNull } from '../rows.js';
import type { Database, InvitationsTable, SessionsTable } from '../schema.js';

const toSession = (row: Selectable<SessionsTable>): Session => ({
  id: row.id,
  userId: row.user_id,
  secretHash: row.secret_hash,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  revokedAt: toDateOrNull(row.revoked_at),
});

export class SqlSessionStore implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        secret_hash: s.secretHash,
        created_at: s.createdAt.getTime(),
        expires_at: s.expiresAt.getTime(),
        revoked_at: null,
      })
      .execute();
  }

  async byHash(secretHash: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && toSession(row);
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: at.getTime() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async revokeAllForUser(userId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: at.getTime() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

const toInvitation = (row: Selectable<InvitationsTable>): Invitation => ({
  id: row.id,
  userId: row.user_id,
  secretHash: row.secret_hash,
  createdBy: row.created_by,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  acceptedAt: toDateOrNull(row.accepted_at),
});

export class SqlInvitationStore implements InvitationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(i: Invitation): Promise<void> {
    await this.db
      .insertInto('invitations')
      .values({
        id: i.id,
        user_id: i.userId,
        secret_hash: i.secretHash,
        created_by: i.createdBy,
        created_at: i.createdAt.getTime(),
        expires_at: i.expiresAt.getTime(),
        accepted_at: null,
      })
      .execute();
  }

  async byHash(secretHash: string): Promise<Invitation | undefined> {
    const row = await this.db.selectFrom('invitations').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && toInvitation(row);
  }

  /** Single-use: only the first caller flips accepted_at. */
  async markAccepted(id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ accepted_at: at.getTime() })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteOpenForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('invitations').where('user_id', '=', userId).where('accepted_at', 'is', null).execute();
  }
}
