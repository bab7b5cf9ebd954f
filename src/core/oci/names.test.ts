import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { parseRange } from './blobs.js';
import { isRepositoryName, parseDigest, parseReference, parseTag } from './names.js';
import { parseScopes } from './scopes.js';
import { parseContentRange } from './uploads.js';

const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.code : 'other';
  }
};

describe('names, tags, digests and references', () => {
  it('accepts names of the spec grammar and refuses the rest', () => {
    for (const ok of ['a', 'library/ubuntu', 'my-org/my_app', 'a__b/c.d', 'a--b', 'x/y/z/w']) expect(isRepositoryName(ok), ok).toBe(true);
    for (const bad of ['', 'A', '../etc', 'a/../b', 'a//b', '/a', 'a/', 'a..b', '-a', 'a_', 'a%2fb', 'a'.repeat(256)]) expect(isRepositoryName(bad), bad).toBe(false);
  });

  it('tells tags from digests, each with its own error', () => {
    expect(parseReference('v1.0')).toEqual({ kind: 'tag', tag: 'v1.0' });
    expect(parseReference(`sha256:${'a'.repeat(64)}`).kind).toBe('digest');
    expect(code(() => parseTag('.hidden'))).toBe('tag_invalid');
    expect(code(() => parseTag('t'.repeat(129)))).toBe('tag_invalid');
    expect(code(() => parseReference('sha256:abc'))).toBe('digest_invalid');
    expect(code(() => parseDigest('md5:d41d8cd98f00b204e9800998ecf8427e'))).toBe('digest_invalid');
    expect(code(() => parseDigest(`sha256:${'A'.repeat(64)}`))).toBe('digest_invalid');
    expect(code(() => parseDigest(undefined))).toBe('digest_invalid');
  });
});

describe('ranges', () => {
  it('parses download ranges and refuses unsatisfiable ones', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    for (const bad of ['bytes=100-', 'bytes=5-1', 'bytes=-0', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-']) expect(code(() => parseRange(bad, 100)), bad).toBe('range_invalid');
  });

  it('parses chunk Content-Range in the spec form and the HTTP form', () => {
    expect(parseContentRange('0-9', 0)).toEqual({ start: 0, end: 9 });
    expect(parseContentRange('bytes 10-19/*', 10)).toEqual({ start: 10, end: 19 });
    expect(code(() => parseContentRange('9-0', 0))).toBe('range_invalid');
  });
});

describe('token scopes', () => {
  it('reads several parameters and space-separated scopes, ignoring what it does not know', () => {
    expect(parseScopes(['repository:a/b:pull,push', 'repository:c:* registry:catalog:* weird other:x:y repository:d:fly'])).toEqual([
      { type: 'repository', name: 'a/b', actions: ['pull', 'push'] },
      { type: 'repository', name: 'c', actions: ['pull', 'push', 'delete'] },
      { type: 'registry', name: 'catalog', actions: ['pull', 'push', 'delete'] },
      { type: 'repository', name: 'd', actions: [] },
    ]);
  });
});
