import type { Kysely } from 'kysely';
import type { HelperToken, HelperTokenStore } from '../../../core/tokens/credential-helper.js';
import type { Database } from '../schema.js';

export class SqlHelperTokenStore implements HelperTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(link: HelperToken): Promise<void> {
    await this.db.insertInto('credential_helper_tokens').values({ token_id: link.tokenId, session_id: link.sessionId, nonce: link.nonce }).execute();
  }

  async forSession(sessionId: string): Promise<HelperToken[]> {
    const rows = await this.db.selectFrom('credential_helper_tokens').selectAll().where('session_id', '=', sessionId).execute();
    return rows.map((r) => ({ tokenId: r.token_id, sessionId: r.session_id, nonce: r.nonce }));
  }

  async among(tokenIds: string[]): Promise<Set<string>> {
    if (tokenIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('credential_helper_tokens').select('token_id').where('token_id', 'in', tokenIds).execute();
    return new Set(rows.map((r) => r.token_id));
  }
}
