import { Errors } from '../errors.js';
import type { TokenWithCreator } from '../model.js';
import type { MetadataStore } from '../ports.js';

/**
 * The authentication lookup of a secret that is not a token's current one: a secret a rotation replaced,
 * which works until its overlap ends (`retiresAt`). Anything else is an unknown token. Whether it has
 * retired yet is the caller's check, after the token's own status (revoked > expired > retired).
 */
export async function findReplacedSecret(store: MetadataStore, secretHash: string): Promise<{ token: TokenWithCreator; retiresAt: Date }> {
  const secret = await store.tokenSecrets.byHash(secretHash);
  if (!secret || secret.retiresAt === null) throw Errors.tokenUnknown();
  const token = await store.tokens.byId(secret.tokenId);
  if (!token) throw Errors.tokenUnknown();
  return { token, retiresAt: secret.retiresAt };
}
