import { describe, expect, it } from 'vitest';
import type { Permission, Role } from '../model.js';
import { authorize, isAllowed, type Action, type Resource } from './authorize.js';
import { tokenPrincipal, userPrincipal, type Principal } from './principal.js';

const ME = 'user-me';
const OTHER = 'user-other';

function session(role: Role): Principal {
  return userPrincipal({ id: ME, username: 'me', role }, { id: 's', viaCookie: false });
}

function token(role: Role, permission: Permission): Principal {
  return tokenPrincipal({ id: ME, username: 'me', role }, { id: 't', name: 'ci', username: 'ci-abc123', permission, environmentId: null });
}

const artifact: Resource = { kind: 'artifact', protocol: 'oci', name: 'team/app' };
const ownToken: Resource = { kind: 'token', createdBy: ME };
const othersToken: Resource = { kind: 'token', createdBy: OTHER };

/** [resource label, resource, action] → allowed for [admin session, developer session, read-write token, read-only token]. */
const TABLE: [string, Resource, Action, [boolean, boolean, boolean, boolean]][] = [
  ['artifact', artifact, 'pull', [true, true, true, true]],
  ['artifact', artifact, 'push', [true, true, true, false]],
  ['artifact', artifact, 'delete', [true, true, true, false]],
  ['artifact', artifact, 'manage', [true, false, false, false]],
  ['release', { kind: 'release' }, 'pull', [true, true, true, true]],
  ['release', { kind: 'release' }, 'push', [true, true, true, false]],
  ['tokens', { kind: 'tokens' }, 'pull', [true, true, false, false]],
  ['tokens', { kind: 'tokens' }, 'push', [true, true, false, false]],
  ['own token', ownToken, 'pull', [true, true, false, false]],
  ['own token', ownToken, 'manage', [true, true, false, false]],
  ['own token', ownToken, 'delete', [true, true, false, false]],
  ["someone else's token", othersToken, 'pull', [true, true, false, false]],
  ["someone else's token", othersToken, 'manage', [true, false, false, false]],
  ["someone else's token", othersToken, 'delete', [true, false, false, false]],
  ['users', { kind: 'users' }, 'pull', [true, false, false, false]],
  ['users', { kind: 'users' }, 'manage', [true, false, false, false]],
  ['audit', { kind: 'audit' }, 'pull', [true, false, false, false]],
  ['webhooks', { kind: 'webhooks' }, 'pull', [true, false, false, false]],
  ['webhooks', { kind: 'webhooks' }, 'manage', [true, false, false, false]],
  ['environment', { kind: 'environment' }, 'pull', [true, true, false, false]],
  // npm web login: any signed-in user approves for themselves; a registry token never can.
  ['npm login request', { kind: 'npm-login' }, 'pull', [true, true, false, false]],
  ['npm login request', { kind: 'npm-login' }, 'push', [true, true, false, false]],
  // npm token list/revoke: the one thing a registry token may do beyond artifacts (read & write only).
  ['own tokens (npm token)', { kind: 'own-tokens', createdBy: ME }, 'pull', [true, true, true, false]],
  ['own tokens (npm token)', { kind: 'own-tokens', createdBy: ME }, 'manage', [true, true, true, false]],
  ['own tokens (npm token)', { kind: 'own-tokens', createdBy: ME }, 'push', [true, true, false, false]],
  ["someone else's tokens (npm token)", { kind: 'own-tokens', createdBy: OTHER }, 'pull', [false, false, false, false]],
  ["someone else's tokens (npm token)", { kind: 'own-tokens', createdBy: OTHER }, 'manage', [false, false, false, false]],
];

const PRINCIPALS: [string, (role: Role) => Principal][] = [
  ['admin session', () => session('admin')],
  ['developer session', () => session('developer')],
  ['read-write token', (role) => token(role, 'read-write')],
  ['read-only token', (role) => token(role, 'read-only')],
];

describe('authorize: the rights table', () => {
  for (const [label, resource, action, expected] of TABLE) {
    PRINCIPALS.forEach(([who, make], i) => {
      it(`${who} ${expected[i] ? 'may' : 'may not'} ${action} ${label}`, () => {
        expect(isAllowed(make('developer'), action, resource)).toBe(expected[i]);
      });
    });
  }

  it("a token does not inherit its admin creator's management rights", () => {
    for (const permission of ['read-only', 'read-write'] as const) {
      const p = token('admin', permission);
      expect(isAllowed(p, 'pull', { kind: 'users' })).toBe(false);
      expect(isAllowed(p, 'manage', othersToken)).toBe(false);
      expect(isAllowed(p, 'push', { kind: 'tokens' })).toBe(false);
      expect(isAllowed(p, 'manage', artifact)).toBe(false);
      expect(isAllowed(p, 'manage', { kind: 'own-tokens', createdBy: OTHER })).toBe(false);
    }
  });

  it('a read-only token asking to list its own tokens is told it is read-only', () => {
    expect(() => authorize(token('developer', 'read-only'), 'pull', { kind: 'own-tokens', createdBy: ME })).toThrow(/read-only/);
  });
});
