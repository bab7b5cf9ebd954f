import type { Permission } from '../api/answers.js';

/**
 * What a new token gets when its creator does not say, the same in Fly Web, `flyreg` and the MCP tools
 * (web/src/pages/tokens/TokenFields.tsx mirrors the number). A person's or CI's token expires after 30
 * days, so a leaked secret stops working on its own; an environment's token never expires by default,
 * because a cluster whose pull secret silently expired stops pulling (revoke it to end it).
 */
export const DEFAULT_EXPIRY_DAYS = 30;

export function defaultExpiry(forEnvironment: boolean): string {
  return forEnvironment ? 'never' : `${DEFAULT_EXPIRY_DAYS}d`;
}

/** Environment tokens pull images: read-only. Other tokens are made to push and publish: read & write. */
export function defaultPermission(forEnvironment: boolean): Permission {
  return forEnvironment ? 'read-only' : 'read-write';
}
