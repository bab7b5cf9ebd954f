import type { Token } from '../api/answers.js';

/**
 * Finds the token a person named by id or by name. An id wins; a name must match exactly one token,
 * and when several share it the error lists them so the caller can pick one by id.
 */
export function findToken(tokens: Token[], idOrName: string): Token {
  const byId = tokens.find((t) => t.id === idOrName);
  if (byId) return byId;
  const named = tokens.filter((t) => t.name === idOrName);
  if (named.length === 1) return named[0] as Token;
  if (named.length === 0) throw new Error(`no token has the id or name ${JSON.stringify(idOrName)}`);
  const choices = named.map((t) => `${t.id} (${t.username}, ${t.status}, created ${t.createdAt} by ${t.createdBy})`).join('; ');
  throw new Error(`${named.length} tokens are named ${JSON.stringify(idOrName)}; use an id: ${choices}`);
}
