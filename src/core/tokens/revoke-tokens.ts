import type { AuditLog } from '../audit/audit-log.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';

/**
 * Revokes the still-active tokens among `tokens` through `tx`, each with its audit event naming `reason`.
 * Returns the ids it revoked: drop them from the token cache once the transaction has committed.
 */
export async function revokeTokens(
  tx: MetadataStore,
  deps: { audit: AuditLog; now: Date },
  actor: Principal,
  tokens: readonly TokenWithCreator[],
  reason: string,
  ctx: RequestContext,
): Promise<string[]> {
  const revoked: string[] = [];
  for (const token of tokens) {
    if (token.revokedAt !== null || !(await tx.tokens.revoke(token.id, deps.now, actor.user.username))) continue;
    revoked.push(token.id);
    await deps.audit.record(
      tx.audit,
      {
        actor: actorName(actor),
        action: 'token.revoked',
        target: { type: 'token', id: token.id, name: token.name },
        details: { username: token.username, reason },
      },
      ctx,
    );
  }
  return revoked;
}
