import { describe, expect, it } from 'vitest';
import { PathMatcher } from './path-matcher.js';
import type { ProtocolRoute } from './route.js';

const route = (method: ProtocolRoute<unknown>['method'], path: string): ProtocolRoute<unknown> => ({ method, path, action: 'pull', handler: async () => undefined });

describe('PathMatcher', () => {
  it('reads the kit syntax: <name> may hold slashes, <param> is one segment, the first match wins', () => {
    const manifests = route('GET', '/<name>/manifests/<reference>');
    const matcher = new PathMatcher([route('GET', '/'), manifests], '/v2');
    expect(matcher.match('GET', '/v2/team/app/manifests/v1')).toEqual({ route: manifests, params: { name: 'team/app', reference: 'v1' } });
    expect(matcher.match('PUT', '/v2/team/app/manifests/v1')).toEqual({ allowed: ['GET'] });
    expect(matcher.match('GET', '/v2/team/app/blobs/x')).toEqual({ allowed: [] });
  });

  it("reads Fastify's syntax for the memory lane: :param is one non-empty segment, a trailing * the rest", () => {
    const packument = route('GET', '/:pkg');
    const scoped = route('GET', '/@:scope/:pkgName');
    const rest = route('GET', '/files/*');
    const matcher = new PathMatcher([packument, scoped, rest, route('GET', '/-/whoami')], '/npm', 'fastify');
    expect(matcher.matchOnly('GET', '/npm/left-pad')).toEqual({ route: packument, params: { pkg: 'left-pad' } });
    expect(matcher.matchOnly('GET', '/npm/@acme/lib')).toEqual({ route: scoped, params: { scope: 'acme', pkgName: 'lib' } });
    expect(matcher.matchOnly('GET', '/npm/files/a/b.txt')).toEqual({ route: rest, params: { '*': 'a/b.txt' } });
    expect(matcher.matchOnly('GET', '/npm/')).toBeUndefined();
    expect(matcher.matchOnly('HEAD', '/npm/left-pad')).toBeUndefined();
  });

  it('leaves a path that several routes match to Fastify, which ranks them', () => {
    const matcher = new PathMatcher([route('GET', '/index/config.json'), route('GET', '/index/*')], '/cargo', 'fastify');
    expect(matcher.matchOnly('GET', '/cargo/index/config.json')).toBeUndefined();
    expect(matcher.matchOnly('GET', '/cargo/index/3/s/syn')?.params).toEqual({ '*': '3/s/syn' });
  });
});
