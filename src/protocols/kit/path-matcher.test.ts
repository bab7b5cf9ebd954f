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

describe('PathMatcher against the routers it stands in for', () => {
  // The shapes of the Fastify-routed tables the memory lane copies (npm, PyPI, Cargo, Helm, generic files).
  const FASTIFY_TABLE = [
    '/:pkg',
    '/@:scope/:pkgName',
    '/-/whoami',
    '/simple/',
    '/simple',
    '/simple/:project/',
    '/simple/:project',
    '/packages/:project/:filename',
    '/pypi/:project/json',
    '/pypi/:project/:version/json',
    '/:project/json',
    '/index/config.json',
    '/index/*',
    '/files/*',
  ];
  const SEGMENTS = ['simple', 'packages', 'pypi', 'json', 'index', 'config.json', 'files', '-', 'whoami', '@acme', 'lib', 'a.b', 'x', ''];

  /** Every path of up to four segments from SEGMENTS under `prefix`, with and without a trailing slash. */
  function* paths(prefix: string): Generator<string> {
    const walk = function* (depth: number, path: string): Generator<string> {
      if (depth > 0) yield path;
      if (depth === 4) return;
      for (const segment of SEGMENTS) yield* walk(depth + 1, `${path}/${segment}`);
    };
    for (const path of walk(0, prefix)) {
      yield path;
      yield `${path}/`;
    }
  }

  it("answers what Fastify's router answers, and every path that one route alone matches with non-empty parameters", async () => {
    const { default: FindMyWay } = await import('find-my-way');
    const routes = FASTIFY_TABLE.map((path) => route('GET', path));
    const router = FindMyWay();
    for (const r of routes) router.on('GET', `/lane${r.path}`, () => undefined, { route: r });
    // One router per route: which routes match a path, each on its own. Fastify's router also lets a
    // parameter be empty (`/npm/` is `/:pkg` with pkg ''); the lane leaves such paths to it.
    const alone = routes.map((r) => {
      const single = FindMyWay();
      single.on('GET', `/lane${r.path}`, () => undefined);
      return { route: r, router: single };
    });
    const matcher = new PathMatcher(routes, '/lane', 'fastify');
    let answered = 0;
    for (const path of paths('/lane')) {
      const found = matcher.matchOnly('GET', path);
      const matching = alone.flatMap(({ route: r, router: single }) => {
        const params = single.find('GET', path)?.params;
        return params && Object.entries(params).every(([name, value]) => name === '*' || value !== '') ? [{ route: r, params: { ...params } }] : [];
      });
      expect({ path, found }).toEqual({ path, found: matching.length === 1 ? matching[0] : undefined });
      if (!found) continue;
      answered++;
      const fastify = router.find('GET', path);
      expect({ path, route: (fastify?.store as { route: unknown } | undefined)?.route, params: { ...fastify?.params } }).toEqual({ path, ...found });
    }
    // The walk reaches every kind of path: many answered, many not.
    expect(answered).toBeGreaterThan(1000);
  });

  it('reads the kit syntax as its patterns say: <name> spans segments, <param> is one segment or empty, fixed paths match exactly', () => {
    const routes = ['/', '/<name>/manifests/<reference>', '/<name>/blobs/<digest>', '/<name>/tags/list', '/<group>/<artifact>/maven-metadata.xml', '/_catalog'].map((path) => route('GET', path));
    const matcher = new PathMatcher(routes, '/v2');
    const [root, manifests, blobs, tags, metadata, catalog] = routes;
    const cases: [string, ProtocolRoute<unknown> | undefined, Record<string, string>?][] = [
      ['/v2/', root, {}],
      ['/v2', undefined],
      ['/v2/_catalog', catalog, {}],
      ['/v2/_catalog/', undefined],
      ['/v2/a/manifests/v1', manifests, { name: 'a', reference: 'v1' }],
      ['/v2/team/sub/app/manifests/v1', manifests, { name: 'team/sub/app', reference: 'v1' }],
      ['/v2/a/manifests/', manifests, { name: 'a', reference: '' }],
      ['/v2/a/manifests/v1/x', undefined],
      ['/v2/manifests/v1', undefined],
      ['/v2/a/b/blobs/sha256:00', blobs, { name: 'a/b', digest: 'sha256:00' }],
      ['/v2/a/b/tags/list', tags, { name: 'a/b' }],
      ['/v2/g/a/maven-metadata.xml', metadata, { group: 'g', artifact: 'a' }],
      ['/v2/g//maven-metadata.xml', metadata, { group: 'g', artifact: '' }],
      ['/v2/g/h/a/maven-metadata.xml', undefined],
      ['/v2/maven-metadata.xml', undefined],
    ];
    for (const [path, expected, params] of cases) {
      const found = matcher.match('GET', path);
      expect({ path, found: 'route' in found ? { route: found.route, params: found.params } : undefined }).toEqual({ path, found: expected ? { route: expected, params } : undefined });
    }
  });
});
