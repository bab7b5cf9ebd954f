import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ScopeGrant } from '../../../core/auth/scope.js';
import type { Permission, Role, TokenWithCreator, Token, UserStatus } from '../../../core/model.js';
import type { TokenListFilter, TokenStore, TokenUsage } from '../../../core/ports.js';
import { toDate, toDateOrNull, toMsOrNull } from '../rows.js';
import type { Database, TokenSecretsTable, TokensTable } from '../schema.js';

type TokenRow = Selectable<TokensTable> & {
  creator_username: string;
  creator_status: string;
  creator_role: string;
  environment_name: string | null;
};

const toToken = (row: TokenRow): TokenWithCreator => ({
  id: row.id,
  name: row.name,
  username: row.username,
  permission: row.permission as Permission,
  createdBy: row.created_by,
  createdAt: toDate(row.created_at),
  expiresAt: toDateOrNull(row.expires_at),
  revokedAt: toDateOrNull(row.revoked_at),
  revokedBy: row.revoked_by,
  environmentId: row.environment_id,
  secretHash: row.secret_hash,
  lastUsedAt: toDateOrNull(row.last_used_at),
  lastUsedIp: row.last_used_ip,
  lastUsedClient: row.last_used_client,
  useCount: Number(row.use_count),
  creatorUsername: row.creator_username,
  creatorStatus: row.creator_status as UserStatus,
  creatorRole: row.creator_role as Role,
  environmentName: row.environment_name,
  scope: parseScope(row.scope),
});

/** The stored JSON scope: written only by toRow from a validated scope (core/auth/scope.ts). */
function parseScope(json: string | null): ScopeGrant[] | null {
  return json === null ? null : (JSON.parse(json) as ScopeGrant[]);
}

const toRow = (t: Token): Insertable<TokensTable> => ({
  id: t.id,
  name: t.name,
  username: t.username,
  permission: t.permission,
  created_by: t.createdBy,
  created_at: t.createdAt.getTime(),
  expires_at: toMsOrNull(t.expiresAt),
  revoked_at: toMsOrNull(t.revokedAt),
  revoked_by: t.revokedBy,
  environment_id: t.environmentId,
  secret_hash: t.secretHash,
  last_used_at: toMsOrNull(t.lastUsedAt),
  last_used_ip: t.lastUsedIp,
  last_used_client: t.lastUsedClient,
  use_count: t.useCount,
  scope: t.scope ? JSON.stringify(t.scope) : null,
});

/** A new token's one secret, current (no retirement): see stores/token-secrets.ts. */
const secretRow = (t: Token): Insertable<TokenSecretsTable> => ({
  secret_hash: t.secretHash,
  token_id: t.id,
  created_at: t.createdAt.getTime(),
  retires_at: null,
  last_used_at: toMsOrNull(t.lastUsedAt),
  use_count: t.useCount,
});

export class SqlTokenStore implements TokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  private selectWithCreator() {
    return this.db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.created_by')
      .leftJoin('environments', 'environments.id', 'tokens.environment_id')
      .selectAll('tokens')
      .select(['users.username as creator_username', 'users.status as creator_status', 'users.role as creator_role'])
      .select('environments.name as environment_name');
  }

  /** The token and its secret's own row (token_secrets, where its use is tracked per secret). */
  async insert(t: Token): Promise<void> {
    await this.db.insertInto('tokens').values(toRow(t)).execute();
    await this.db.insertInto('token_secrets').values(secretRow(t)).execute();
  }

  /**
   * Many tokens in few statements (for benchmarks and imports): multi-row inserts of 500 in one
   * transaction, well under both engines' limits on bound parameters.
   */
  async insertMany(tokens: Token[]): Promise<void> {
    const insertAll = async (db: Kysely<Database>) => {
      for (let i = 0; i < tokens.length; i += 500) {
        await db.insertInto('tokens').values(tokens.slice(i, i + 500).map(toRow)).execute();
        await db.insertInto('token_secrets').values(tokens.slice(i, i + 500).map(secretRow)).execute();
      }
    };
    if (this.db.isTransaction) await insertAll(this.db);
    else await this.db.transaction().execute(insertAll);
  }

  async byId(id: string): Promise<TokenWithCreator | undefined> {
    const row = await this.selectWithCreator().where('tokens.id', '=', id).executeTakeFirst();
    return row && toToken(row);
  }

  async byHash(secretHash: string): Promise<TokenWithCreator | undefined> {
    const row = await this.selectWithCreator().where('tokens.secret_hash', '=', secretHash).executeTakeFirst();
    return row && toToken(row);
  }

  async list(filter: TokenListFilter = {}): Promise<TokenWithCreator[]> {
    let query = this.selectWithCreator();
    if (filter.createdBy) query = query.where('tokens.created_by', '=', filter.createdBy);
    if (filter.environmentId) query = query.where('tokens.environment_id', '=', filter.environmentId);
    const rows = await query.orderBy('tokens.created_at', 'desc').orderBy('tokens.id').execute();
    return rows.map(toToken);
  }

  async usernameTaken(username: string): Promise<boolean> {
    const row = await this.db.selectFrom('tokens').select('id').where('username', '=', username).executeTakeFirst();
    return row !== undefined;
  }

  async revoke(id: string, at: Date, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at: at.getTime(), revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('tokens').where('id', '=', id).execute();
  }

  /** One statement per token in the batch, in one transaction; a token deleted meanwhile is skipped. */
  async recordUsage(batch: TokenUsage[]): Promise<void> {
    if (batch.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const u of batch) {
        const at = u.at.getTime();
        await tx
          .updateTable('tokens')
          .set((eb) => {
            // Several processes (workers, replicas) flush their own batches: the latest use wins whatever
            // order the batches land in, and the counts add up.
            const newer = eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', at)]);
            return {
              last_used_at: eb.case().when(newer).then(at).else(eb.ref('last_used_at')).end(),
              last_used_ip: eb.case().when(newer).then(u.ip).else(eb.ref('last_used_ip')).end(),
              last_used_client: eb.case().when(newer).then(u.client).else(eb.ref('last_used_client')).end(),
              use_count: eb('use_count', '+', u.count),
            };
          })
          .where('id', '=', u.tokenId)
          .execute();
      }
    });
  }
}
