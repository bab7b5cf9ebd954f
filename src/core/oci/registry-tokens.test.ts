import { describe, expect, it } from 'vitest';
import { tokenPrincipal, type Principal } from '../auth/principal.js';
import { isAppError } from '../errors.js';
import { RegistryTokens } from './registry-tokens.js';
import { parseScopes } from './scopes.js';

const principal = (permission: 'read-only' | 'read-write'): Principal =>
  tokenPrincipal({ id: 'u1', username: 'alice', role: 'developer' }, { id: 't1', name: 'ci', username: 'ci-abc123', permission, environmentId: null });

describe('registry bearer tokens', () => {
  const tokens = new RegistryTokens(Buffer.from(RegistryTokens.generateKey(), 'base64url'));
  const now = new Date('2026-01-01T00:00:00Z');

  it('bind the Fly token id and grant only what authorize() allows', () => {
    const scopes = parseScopes(['repository:a/b:pull,push,delete repository:Bad..Name:pull registry:catalog:*']);
    const rw = tokens.verify(tokens.issue(principal('read-write'), scopes, now).token, now);
    expect(rw).toEqual({ tokenId: 't1', grant: { repositories: { 'a/b': ['pull', 'push', 'delete'] }, catalog: true } });
    const ro = tokens.verify(tokens.issue(principal('read-only'), scopes, now).token, now);
    expect(ro.grant.repositories).toEqual({ 'a/b': ['pull'] });
  });

  it('refuse tampering, other keys and expiry', () => {
    const issued = tokens.issue(principal('read-only'), parseScopes(['repository:a:pull']), now);
    const refused = (token: string, at = now) => {
      try {
        tokens.verify(token, at);
        return false;
      } catch (error) {
        return isAppError(error) && error.code === 'unauthenticated';
      }
    };
    expect(refused(issued.token)).toBe(false);
    expect(refused(issued.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(true);
    expect(refused(new RegistryTokens(Buffer.alloc(32, 1)).issue(principal('read-write'), [], now).token)).toBe(true);
    expect(refused(issued.token, new Date(now.getTime() + (issued.expiresIn + 1) * 1000))).toBe(true);
  });

  it('refuse another payload under the signature of a token already verified (and still take that token)', () => {
    const issued = tokens.issue(principal('read-only'), parseScopes(['repository:a:pull']), now);
    expect(tokens.verify(issued.token, now).grant.repositories).toEqual({ a: ['pull'] });
    const signature = issued.token.slice(issued.token.lastIndexOf('.'));
    const body = Buffer.from(JSON.stringify({ v: 1, t: 't1', iat: 0, exp: 4_000_000_000, g: { repositories: { a: ['pull', 'push'] }, catalog: true } })).toString('base64url');
    expect(() => tokens.verify(`flyb_${body}${signature}`, now)).toThrow(/signature|malformed/i);
    expect(tokens.verify(issued.token, now).grant.repositories).toEqual({ a: ['pull'] });
  });

  it('are issued to registry tokens only', () => {
    const session: Principal = { ...principal('read-write'), kind: 'user', token: null, session: { id: 's', viaCookie: false } };
    expect(() => tokens.issue(session, [], now)).toThrow(/registry tokens/);
  });
});
