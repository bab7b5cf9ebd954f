import type { Kysely, Selectable } from 'kysely';
import type { SecretRotation, SecretUsage, TokenSecret, TokenSecretStore } from '../../../core/tokens/token-secrets.js';
import { toDate, toDateOrNull, toMsOrNull } from '../rows.js';
import type { Database, TokenSecretsTable } from '../schema.js';

const toSecret = (row: Selectable<TokenSecretsTable>): TokenSecret => ({
  secretHash: row.secret_hash,
  tokenId: row.token_id,
  createdAt: toDate(row.created_at),
  retiresAt: toDateOrNull(row.retires_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
  useCount: Number(row.use_count),
});

/** Bound parameters per `IN (…)` list, well under both engines' limits. */
const IN_LIST_CHUNK = 500;

export class SqlTokenSecretStore implements TokenSecretStore {
  constructor(private readonly db: Kysely<Database>) {}

  async byHash(secretHash: string): Promise<TokenSecret | undefined> {
    const row = await this.db.selectFrom('token_secrets').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && toSecret(row);
  }

  async listFor(tokenIds: readonly string[], liveAt?: Date): Promise<TokenSecret[]> {
    const out: TokenSecret[] = [];
    for (let i = 0; i < tokenIds.length; i += IN_LIST_CHUNK) {
      let query = this.db.selectFrom('token_secrets').selectAll().where('token_id', 'in', tokenIds.slice(i, i + IN_LIST_CHUNK));
      if (liveAt) query = query.where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', liveAt.getTime())]));
      const rows = await query
        .orderBy('token_id')
        .orderBy('created_at', 'desc')
        .execute();
      out.push(...rows.map(toSecret));
    }
    return out;
  }

  async rotate(r: SecretRotation): Promise<boolean> {
    const run = async (db: Kysely<Database>): Promise<boolean> => {
      const updated = await db
        .updateTable('tokens')
        .set({ secret_hash: r.newHash, expires_at: toMsOrNull(r.expiresAt) })
        .where('id', '=', r.tokenId)
        .where('secret_hash', '=', r.previousHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      // The replaced secret's row may be missing (a token inserted around this table): create it retiring.
      await db
        .insertInto('token_secrets')
        .values({ secret_hash: r.previousHash, token_id: r.tokenId, created_at: r.previousCreatedAt.getTime(), retires_at: r.retiresAt.getTime() })
        .onConflict((oc) => oc.column('secret_hash').doUpdateSet({ retires_at: r.retiresAt.getTime() }))
        .execute();
      await db.insertInto('token_secrets').values({ secret_hash: r.newHash, token_id: r.tokenId, created_at: r.at.getTime(), retires_at: null }).execute();
      return true;
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }

  async recordUsage(batch: readonly SecretUsage[]): Promise<void> {
    if (batch.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const u of batch) {
        const at = u.at.getTime();
        await tx
          .updateTable('token_secrets')
          .set((eb) => ({
            last_used_at: eb.case().when(eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', at)])).then(at).else(eb.ref('last_used_at')).end(),
            use_count: eb('use_count', '+', u.count),
          }))
          .where('secret_hash', '=', u.secretHash)
          .execute();
      }
    });
  }
}
