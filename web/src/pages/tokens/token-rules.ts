import type { Permission, Token, Whoami } from '../../api/types';

/**
 * What the dashboard offers on a token row. It mirrors the server's rules (admins act on every token,
 * developers on the tokens they created) only to hide buttons that would fail; the server decides.
 */
export function mayManage(me: Whoami, token: Token): boolean {
  return me.user.role === 'admin' || token.createdBy === me.user.username;
}

/** Revocation only means something for a token that still works. */
export const canRevoke = (me: Whoami, token: Token) => token.status === 'active' && mayManage(me, token);

/** Rotation gives an active token a new secret; credential-helper tokens are re-minted by the helper instead. */
export const canRotate = (me: Whoami, token: Token) => canRevoke(me, token) && !token.credentialHelper;

/** Only expired or revoked tokens can be deleted (an active one must be revoked first). */
export const canDelete = (me: Whoami, token: Token) => token.status !== 'active' && mayManage(me, token);

export const PERMISSION_LABELS: Record<Permission, string> = {
  'read-write': 'Read & Write',
  'read-only': 'Read-Only',
};
