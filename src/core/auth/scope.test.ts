import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import type { CoreProtocol } from '../protocols.js';
import { parseInput } from '../validation.js';
import { authorize, isAllowed, reachesEveryName } from './authorize.js';
import { tokenPrincipal, type Principal } from './principal.js';
import { resolveScope, scopedGrants, scopeInput, scopeWithin, type ScopeGrant } from './scope.js';
import type { Permission } from '../model.js';

const protocol = (id: string, normalizeName?: (n: string) => string): CoreProtocol => ({
  id,
  endpoint: { key: id, build: () => ({}) },
  snippets: [{ key: id, build: () => '' }],
  artifact: normalizeName ? { shape: 'package', repository: id, normalizeName } : { shape: 'image' },
});
const PROTOCOLS = [protocol('oci'), protocol('npm'), protocol('pypi', (n) => n.replace(/[-_.]+/g, '-').toLowerCase()), protocol('maven')];

function scoped(permission: Permission, entries: unknown): Principal {
  const scope = scopeWithin(resolveScope(parseInput(scopeInput, entries) ?? [], PROTOCOLS), permission);
  return tokenPrincipal({ id: 'u', username: 'me', role: 'developer' }, { id: 't', name: 'ci', username: 'ci-x', permission, environmentId: null, scope });
}

const can = (p: Principal, action: 'pull' | 'push' | 'delete', protocolId: string, name: string) =>
  isAllowed(p, action, { kind: 'artifact', protocol: protocolId, name });

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.message;
  }
  throw new Error('expected a validation error');
}

describe('scope input', () => {
  it('parses "protocol:pattern" strings and the structured form', () => {
    expect(parseInput(scopeInput, ['oci:team/*', { protocol: 'npm', resource: '@acme/*', actions: ['pull'] }, 'maven:com.acme:lib'])).toEqual([
      { protocol: 'oci', resource: 'team/*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'npm', resource: '@acme/*', actions: ['pull'] },
      { protocol: 'maven', resource: 'com.acme:lib', actions: ['pull', 'push', 'delete'] },
    ]);
    expect(parseInput(scopeInput, null)).toBeNull();
  });

  it('refuses bad syntax with a message naming the entry', () => {
    expect(refusal(() => parseInput(scopeInput, ['team/*']))).toMatch(/0\.protocol: must be "protocol:pattern"/);
    expect(refusal(() => parseInput(scopeInput, ['oci:te*am']))).toMatch(/may only end with "\*"/);
    expect(refusal(() => parseInput(scopeInput, ['oci:'] ))).toMatch(/must not be empty/);
    expect(refusal(() => parseInput(scopeInput, ['oci:a b']))).toMatch(/spaces/);
    expect(refusal(() => parseInput(scopeInput, [`oci:${'a'.repeat(201)}`]))).toMatch(/at most 200/);
    expect(refusal(() => parseInput(scopeInput, []))).toMatch(/at least one/);
    expect(refusal(() => parseInput(scopeInput, Array.from({ length: 51 }, (_, i) => `oci:r${i}`)))).toMatch(/at most 50/);
    expect(refusal(() => parseInput(scopeInput, [{ protocol: 'oci', resource: 'x', actions: ['manage'] }]))).toMatch(/"pull", "push" or "delete"/);
  });

  it('refuses a protocol the registry does not serve, and names the ones it does', () => {
    expect(refusal(() => resolveScope([{ protocol: 'rubygems', resource: '*', actions: ['pull'] }], PROTOCOLS))).toMatch(
      /scope\.0: unknown protocol "rubygems": use one of oci, npm, pypi, maven, releases/,
    );
  });

  it('spells patterns as the protocol stores names, and merges duplicates', () => {
    expect(
      resolveScope(
        [
          { protocol: 'pypi', resource: 'Acme_*', actions: ['pull'] },
          { protocol: 'pypi', resource: 'acme-*', actions: ['push'] },
        ],
        PROTOCOLS,
      ),
    ).toEqual([{ protocol: 'pypi', resource: 'acme-*', actions: ['pull', 'push'] }]);
  });

  it('refuses an entry a read-only token could do nothing with', () => {
    expect(refusal(() => scopeWithin([{ protocol: 'oci', resource: 'a', actions: ['push'] }], 'read-only'))).toMatch(/read-only token does not have/);
  });
});

describe('scoped grants: the permission restricted to the scope', () => {
  it('no scope is the permission on the whole registry', () => {
    expect(scopedGrants('read-only', null)).toEqual([{ protocol: '*', resource: '*', actions: ['pull'] }]);
  });

  it('keeps only the actions both allow, and drops entries left with none', () => {
    const scope: ScopeGrant[] = [
      { protocol: 'oci', resource: 'team/*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'npm', resource: '@acme/*', actions: ['push'] },
    ];
    expect(scopedGrants('read-only', scope)).toEqual([{ protocol: 'oci', resource: 'team/*', actions: ['pull'] }]);
    expect(scopedGrants('read-write', scope)).toEqual(scope);
  });

  it('a read & write token scoped to oci:team/* acts on team/ only, through authorize()', () => {
    const p = scoped('read-write', ['oci:team/*']);
    expect(can(p, 'pull', 'oci', 'team/api')).toBe(true);
    expect(can(p, 'push', 'oci', 'team/api')).toBe(true);
    expect(can(p, 'delete', 'oci', 'team/api')).toBe(true);
    expect(can(p, 'pull', 'oci', 'other/api')).toBe(false);
    expect(can(p, 'pull', 'oci', 'team')).toBe(false);
    expect(can(p, 'pull', 'npm', 'team/api')).toBe(false);
    expect(() => authorize(p, 'pull', { kind: 'artifact', protocol: 'oci', name: 'other/api' })).toThrow(/outside the token's scope/);
    expect(isAllowed(p, 'push', { kind: 'release' })).toBe(false);
  });

  it('a read-only scoped token pulls in scope, is read-only there, and forbidden elsewhere', () => {
    const p = scoped('read-only', ['npm:@acme/*', 'pypi:Acme-*', 'releases:*']);
    expect(can(p, 'pull', 'npm', '@acme/lib')).toBe(true);
    expect(can(p, 'pull', 'npm', 'left-pad-private')).toBe(false);
    expect(can(p, 'pull', 'pypi', 'acme-lib')).toBe(true);
    expect(() => authorize(p, 'push', { kind: 'artifact', protocol: 'npm', name: '@acme/lib' })).toThrow(expect.objectContaining({ code: 'read_only' }));
    expect(() => authorize(p, 'push', { kind: 'artifact', protocol: 'npm', name: 'left-pad-private' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(isAllowed(p, 'pull', { kind: 'release' })).toBe(true);
  });

  it('listings (":…" names) are reached through a grant on any artifact of the protocol, and only then', () => {
    const p = scoped('read-write', ['oci:team/*']);
    expect(can(p, 'pull', 'oci', ':catalog')).toBe(true);
    expect(can(p, 'pull', 'npm', ':packages')).toBe(false);
    // A listing is never a wildcard name: "*" is still matched as a name.
    expect(can(p, 'pull', 'oci', '*')).toBe(false);
  });

  it('reachesEveryName: only a `*` pattern covers every name of a protocol (a listing then needs no filter)', () => {
    expect(reachesEveryName(scoped('read-only', ['oci:*']), 'pull', 'oci')).toBe(true);
    expect(reachesEveryName(scoped('read-only', ['oci:team/*']), 'pull', 'oci')).toBe(false);
    expect(reachesEveryName(scoped('read-only', ['oci:*']), 'pull', 'npm')).toBe(false);
    expect(reachesEveryName(scoped('read-only', ['oci:*']), 'push', 'oci')).toBe(false);
    expect(reachesEveryName(tokenPrincipal({ id: 'u', username: 'me', role: 'developer' }, { id: 't', name: 'ci', username: 'ci-x', permission: 'read-only', environmentId: null, scope: null }), 'pull', 'npm')).toBe(true);
  });

  it('a refusal on a listing names the protocol and what it lists', () => {
    expect(refusal(() => authorize(scoped('read-only', ['npm:@acme/*']), 'pull', { kind: 'artifact', protocol: 'oci', name: ':catalog' }))).toMatch(/may not download or view oci catalog: it is outside/);
  });
});
