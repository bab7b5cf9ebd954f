import { describe, expect, it } from 'vitest';
import type { Token } from '../api/answers.js';
import { parseArtifactSpec } from './artifact-spec.js';
import { parseExpiry } from './expiry.js';
import { findToken } from './token-lookup.js';

describe('parseExpiry', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  it('reads never, durations and dates', () => {
    expect(parseExpiry('never', now)).toBeNull();
    expect(parseExpiry('30d', now)).toBe('2030-01-31T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2030-01-01T12:00:00.000Z');
    expect(parseExpiry('2w', now)).toBe('2030-01-15T00:00:00.000Z');
    // A bare date means until the end of that day in this machine's time zone, as in the dashboard.
    expect(parseExpiry('2031-06-30', now)).toBe(new Date(2031, 5, 30, 23, 59, 59, 999).toISOString());
    expect(parseExpiry('2031-06-30T10:00:00+02:00', now)).toBe('2031-06-30T08:00:00.000Z');
  });
  it('refuses anything else with the accepted forms', () => {
    for (const bad of ['tomorrow', '30', '-1d', '2031-13-45', '']) expect(() => parseExpiry(bad, now), bad).toThrow(/use "never", a duration/);
  });
});

describe('parseArtifactSpec', () => {
  it('reads the three artifact kinds, scoped npm names and image paths included', () => {
    expect(parseArtifactSpec('oci:shop/api@sha256:abc')).toEqual({ type: 'oci', repository: 'shop/api', digest: 'sha256:abc' });
    expect(parseArtifactSpec('npm:@acme/ui@1.2.0')).toEqual({ type: 'npm', name: '@acme/ui', version: '1.2.0' });
    expect(parseArtifactSpec('pypi:requests==2.0')).toEqual({ type: 'pypi', name: 'requests', version: '2.0' });
    expect(parseArtifactSpec('pypi:requests@2.0')).toEqual({ type: 'pypi', name: 'requests', version: '2.0' });
  });
  it('refuses unknown kinds and empty parts', () => {
    for (const bad of ['docker:x@1', 'npm:x', 'npm:@1', 'oci:repo@', 'pypi:x==']) expect(() => parseArtifactSpec(bad), bad).toThrow(/cannot read the artifact/);
  });
});

describe('findToken', () => {
  const token = (id: string, name: string) => ({ id, name, username: `${name}-u`, status: 'active', createdAt: 'then', createdBy: 'admin' }) as Token;
  const tokens = [token('id-1', 'ci'), token('id-2', 'twin'), token('id-3', 'twin')];
  it('finds by id first, then by a unique name', () => {
    expect(findToken(tokens, 'id-2').id).toBe('id-2');
    expect(findToken(tokens, 'ci').id).toBe('id-1');
  });
  it('lists every candidate when a name is shared, and names the unknown', () => {
    expect(() => findToken(tokens, 'twin')).toThrow(/2 tokens are named "twin"; use an id: id-2 .*; id-3 /);
    expect(() => findToken(tokens, 'nope')).toThrow('no token has the id or name "nope"');
  });
});
