import type { Kysely, Selectable } from 'kysely';
import type { NpmWebLogin, NpmWebLoginStore } from '../../../core/npm/web-login-model.js';
import { toDate, toDateOrNull } from '../rows.js';
import type { Database, NpmWebLoginsTable } from '../schema.js';

const toLogin = (row: Selectable<NpmWebLoginsTable>): NpmWebLogin => ({
  id: row.id,
  doneSecretHash: row.done_secret_hash,
  hostname: row.hostname,
  ip: row.ip,
  userAgent: row.user_agent,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  decision: row.decision === 'approved' || row.decision === 'denied' ? row.decision : null,
  decidedBy: row.decided_by,
  decidedAt: toDateOrNull(row.decided_at),
  consumedAt: toDateOrNull(row.consumed_at),
  client: row.client === 'cli' ? 'cli' : 'npm',
  userCode: row.user_code,
});

/**
 * State changes are single conditional UPDATEs: the WHERE clause is the state machine's guard, so of two
 * racing calls (on any replica) only one matches a row. On PostgreSQL the second waits for the first's
 * row lock and then re-checks the condition against the committed row.
 */
export class SqlNpmWebLoginStore implements NpmWebLoginStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(l: NpmWebLogin): Promise<void> {
    await this.db
      .insertInto('npm_web_logins')
      .values({
        id: l.id,
        done_secret_hash: l.doneSecretHash,
        hostname: l.hostname,
        ip: l.ip,
        user_agent: l.userAgent,
        created_at: l.createdAt.getTime(),
        expires_at: l.expiresAt.getTime(),
        decision: l.decision,
        decided_by: l.decidedBy,
        decided_at: l.decidedAt?.getTime() ?? null,
        consumed_at: l.consumedAt?.getTime() ?? null,
        client: l.client,
        user_code: l.userCode,
      })
      .execute();
  }

  async byId(id: string): Promise<NpmWebLogin | undefined> {
    const row = await this.db.selectFrom('npm_web_logins').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toLogin(row);
  }

  async decide(id: string, decision: 'approved' | 'denied', userId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('npm_web_logins')
      .set({ decision, decided_by: userId, decided_at: at.getTime() })
      .where('id', '=', id)
      .where('decision', 'is', null)
      .where('expires_at', '>', at.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async consume(id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('npm_web_logins')
      .set({ consumed_at: at.getTime() })
      .where('id', '=', id)
      .where('decision', '=', 'approved')
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', at.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countPending(at: Date, ip: string | null): Promise<{ total: number; fromAddress: number }> {
    const pending = this.db.selectFrom('npm_web_logins').where('decision', 'is', null).where('expires_at', '>', at.getTime());
    const total = await pending.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    const fromAddress =
      ip === null ? { n: 0 } : await pending.where('ip', '=', ip).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return { total: Number(total.n), fromAddress: Number(fromAddress.n) };
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom('npm_web_logins').where('expires_at', '<', before.getTime()).execute();
  }
}
