import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmTarball } from '../support/npm-fixtures.js';
import { openDatabase } from '../../src/storage/sql/database.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Manifest {
  name: string;
  version: string;
  dist: { integrity: string; shasum: string; tarball: string };
  [key: string]: unknown;
}

interface PublishBody {
  _id?: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, Manifest>;
  _attachments: Record<string, { content_type: string; data: string; length: number }>;
}

/**
 * The body npm sends for `npm publish`, built by hand so each part can be broken on purpose. `content` is
 * a file packed next to package/package.json (random bytes make every tarball distinct); `tarball`
 * replaces the whole tarball.
 */
function publishBody(name: string, version: string, content: Buffer, tarball = npmTarball({ name, version }, { 'data.bin': content })): PublishBody {
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  return {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { name, version, description: 'test', dist: { integrity, shasum, tarball: `http://elsewhere/${name}/-/x.tgz` } } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
}

/** Malformed publishes over plain HTTP: each is refused with npm's {"error"} body, and nothing is stored. */
describe('npm publish validation', () => {
  let server: TestServer;
  let small: TestServer;
  let writer: CreatedToken;
  let smallWriter: CreatedToken;

  const put = (s: TestServer, token: string, path: string, body: unknown) =>
    fetch(`${s.url}/npm/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${writer.token}`, ...headers } });

  async function expectRefused(res: Response, status: number, message: RegExp): Promise<void> {
    const body = (await res.json()) as { error?: unknown };
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(typeof body.error).toBe('string');
    expect(body.error).toMatch(message);
    expect(res.headers.get('www-authenticate')).toBeNull();
  }

  beforeAll(async () => {
    [server, small] = await Promise.all([startServer(), startServer({ env: { FLY_NPM_MAX_BODY_MB: '1' } })]);
    writer = await (await login(server)).createToken({ name: 'writer', permission: 'read-write' });
    smallWriter = await (await login(small)).createToken({ name: 'writer', permission: 'read-write' });
    const ok = await put(server, writer.token, 'fly-ok', publishBody('fly-ok', '1.0.0', randomBytes(300)));
    expect(ok.status).toBe(201);
    const scoped = await put(server, writer.token, '@fly%2fokay', publishBody('@fly/okay', '2.0.0', randomBytes(300)));
    expect(scoped.status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), small?.stop()]);
  });

  const tarball = randomBytes(1000);
  const cases: [string, string, (b: PublishBody) => unknown, RegExp][] = [
    ['bad base64', 'fly-bad', (b) => ((b._attachments['fly-bad-1.0.0.tgz'] as { data: string }).data = '!!!not*base64==='), /base64/],
    ['wrong integrity', 'fly-bad', (b) => ((b.versions['1.0.0'] as Manifest).dist.integrity = `sha512-${createHash('sha512').update('other').digest('base64')}`), /integrity/],
    ['wrong shasum', 'fly-bad', (b) => ((b.versions['1.0.0'] as Manifest).dist.shasum = 'a'.repeat(40)), /shasum/],
    ['wrong length', 'fly-bad', (b) => ((b._attachments['fly-bad-1.0.0.tgz'] as { length: number }).length = 999), /length/],
    ['body name differs from the URL', 'fly-bad', (b) => (b.name = 'fly-other'), /does not match the URL/],
    ['manifest name differs', 'fly-bad', (b) => ((b.versions['1.0.0'] as Manifest).name = 'fly-other'), /Manifest name/],
    ['attachment filename with path traversal', 'fly-bad', (b) => {
      b._attachments['../../../etc/evil.tgz'] = b._attachments['fly-bad-1.0.0.tgz'] as PublishBody['_attachments'][string];
      delete b._attachments['fly-bad-1.0.0.tgz'];
    }, /Attach exactly one tarball named "fly-bad-1.0.0.tgz"/],
    ['missing attachment', 'fly-bad', (b) => (b._attachments = {}), /Attach exactly one tarball/],
    ['no attachments field', 'fly-bad', (b) => delete (b as Partial<PublishBody>)._attachments, /_attachments/],
    ['two versions', 'fly-bad', (b) => (b.versions['2.0.0'] = { ...(b.versions['1.0.0'] as Manifest), version: '2.0.0' }), /exactly one version/],
    ['invalid version', 'fly-bad', (b) => {
      b.versions = { 'not-semver': { ...(b.versions['1.0.0'] as Manifest), version: 'not-semver' } };
    }, /Invalid version/],
    ['dist-tag pointing elsewhere', 'fly-bad', (b) => (b['dist-tags'] = { latest: '9.9.9' }), /must point at the version being published/],
    ['uppercase name', 'Fly-Bad', () => undefined, /Invalid package name/],
  ];

  it.each(cases)('%s → 400 and nothing stored', async (_label, name, breakIt, message) => {
    const body = publishBody(name, '1.0.0', tarball);
    breakIt(body);
    await expectRefused(await put(server, writer.token, name, body), 400, message);
    expect((await get(`/npm/${name === 'Fly-Bad' ? 'fly-bad' : name}`)).status).toBe(404);
  });

  it.each([
    ['random bytes', randomBytes(2000), /Invalid npm tarball: not a readable .tar.gz/],
    ['a tar without package/package.json', npmTarball({ name: 'fly-tar', version: '1.0.0' }).subarray(0, 0), /Attachment is empty/],
    ['another version in package.json', npmTarball({ name: 'fly-tar', version: '9.9.9' }), /is for fly-tar@9.9.9, not fly-tar@1.0.0/],
    ['another package in package.json', npmTarball({ name: 'left-pad', version: '1.0.0' }), /is for left-pad@1.0.0, not fly-tar@1.0.0/],
  ])('a tarball of %s → 400 and nothing stored', async (_label, tarball, message) => {
    await expectRefused(await put(server, writer.token, 'fly-tar', publishBody('fly-tar', '1.0.0', Buffer.alloc(0), tarball)), 400, message);
    expect((await get('/npm/fly-tar')).status).toBe(404);
  });

  it('path traversal in the package name → 400, nothing stored', async () => {
    const body = publishBody('../../etc', '1.0.0', tarball);
    await expectRefused(await put(server, writer.token, '..%2f..%2fetc', body), 400, /Invalid package name/);
    await expectRefused(await put(server, writer.token, '@fly%2f..%2f..%2fetc', publishBody('@fly/../../etc', '1.0.0', tarball)), 400, /Invalid package name/);
  });

  it('invalid JSON → 400', async () => {
    await expectRefused(await put(server, writer.token, 'fly-bad', '{"name": "fly-bad", '), 400, /not valid JSON/);
  });

  it('a bad new version of an existing package leaves the package as it was', async () => {
    const body = publishBody('fly-ok', '1.1.0', tarball);
    (body.versions['1.1.0'] as Manifest).dist.integrity = `sha512-${createHash('sha512').update('x').digest('base64')}`;
    await expectRefused(await put(server, writer.token, 'fly-ok', body), 400, /integrity/);
    const packument = (await (await get('/npm/fly-ok')).json()) as { versions: Record<string, unknown>; 'dist-tags': Record<string, string> };
    expect(Object.keys(packument.versions)).toEqual(['1.0.0']);
    expect(packument['dist-tags']).toEqual({ latest: '1.0.0' });
  });

  it('publishing under another tag keeps latest: set on the first version, untouched after', async () => {
    const first = publishBody('fly-tagged', '1.0.0', randomBytes(64));
    first['dist-tags'] = { beta: '1.0.0' };
    expect((await put(server, writer.token, 'fly-tagged', first)).status).toBe(201);
    const second = publishBody('fly-tagged', '2.0.0-rc.1', randomBytes(64));
    second['dist-tags'] = { beta: '2.0.0-rc.1' };
    expect((await put(server, writer.token, 'fly-tagged', second)).status).toBe(201);
    const tags = await (await get('/npm/-/package/fly-tagged/dist-tags')).json();
    expect(tags).toEqual({ latest: '1.0.0', beta: '2.0.0-rc.1' });
  });

  it('republishing a version → 409', async () => {
    await expectRefused(await put(server, writer.token, 'fly-ok', publishBody('fly-ok', '1.0.0', randomBytes(50))), 409, /already published/);
  });

  it('a body above FLY_NPM_MAX_BODY_MB → 413; a larger publish within the default limit succeeds', async () => {
    const big = randomBytes(1024 * 1024);
    await expectRefused(await put(small, smallWriter.token, 'fly-big', publishBody('fly-big', '1.0.0', big)), 413, /FLY_NPM_MAX_BODY_MB/);
    expect((await fetch(`${small.url}/npm/fly-big`, { headers: { authorization: `Bearer ${smallWriter.token}` } })).status).toBe(404);
    // 3 MB of tarball is 4 MB of base64: above the app's 1 MB default for other APIs, within npm's 100 MB.
    const res = await put(server, writer.token, 'fly-big', publishBody('fly-big', '1.0.0', randomBytes(3 * 1024 * 1024)));
    expect(res.status).toBe(201);
  });

  it('refuses requests without a token (401), without asking for an OTP', async () => {
    const res = await fetch(`${server.url}/npm/fly-ok`);
    await expectRefused(res, 401, /Authentication required/);
    const publish = await fetch(`${server.url}/npm/fly-new`, { method: 'PUT', body: JSON.stringify(publishBody('fly-new', '1.0.0', tarball)), headers: { 'content-type': 'application/json' } });
    await expectRefused(publish, 401, /Authentication required/);
  });

  it('answers scoped names in every spelling, under both mount points, with tarball URLs under the same one', async () => {
    for (const path of ['/npm/@fly%2fokay', '/npm/@fly%2Fokay', '/npm/@fly/okay', '/artifactory/api/npm/npm/@fly%2fokay', '/npm/%40fly%2fokay']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const packument = (await res.json()) as { name: string; versions: Record<string, { dist: { tarball: string } }> };
      expect(packument.name).toBe('@fly/okay');
      const mount = path.startsWith('/npm/') ? '/npm/' : '/artifactory/api/npm/npm/';
      expect(packument.versions['2.0.0']?.dist.tarball).toBe(`http://localhost:${server.port}${mount}@fly/okay/-/okay-2.0.0.tgz`);
    }
    expect((await get('/npm/@fly/okay/-/okay-2.0.0.tgz')).status).toBe(200);
  });

  it('serves the abbreviated packument to installs, with an ETag that answers 304', async () => {
    const res = await get('/npm/fly-ok', { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.npm.install-v1+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    const again = await get('/npm/fly-ok', { accept: 'application/vnd.npm.install-v1+json', 'if-none-match': res.headers.get('etag') ?? '' });
    expect(again.status).toBe(304);
    const full = (await (await get('/npm/fly-ok?write=true')).json()) as Record<string, unknown>;
    expect(full._rev).toMatch(/^\d+-[0-9a-f]{32}$/);
    expect(full.time).toBeDefined();
  });

  it('stores each version manifest exactly as sent', async () => {
    const body = publishBody('fly-exact', '1.0.0', tarball);
    const manifest = body.versions['1.0.0'] as Manifest;
    // Key order and spacing a re-serialisation would not keep.
    const manifestText = `{"version":"1.0.0" , "name":"fly-exact","zeta":1.50,"alpha":"\\u0041","dist":${JSON.stringify(manifest.dist)}}`;
    const text = `{"name":"fly-exact","_attachments":${JSON.stringify(body._attachments)},"versions":{"1.0.0":  ${manifestText}\n}}`;
    expect((await put(server, writer.token, 'fly-exact', text)).status).toBe(201);
    const { db, close } = openDatabase(server.database.url);
    try {
      const row = await db
        .selectFrom('package_versions')
        .innerJoin('packages', 'packages.id', 'package_versions.package_id')
        .select('package_versions.metadata')
        .where('packages.name', '=', 'fly-exact')
        .executeTakeFirstOrThrow();
      expect(row.metadata).toBe(manifestText);
    } finally {
      await close();
    }
  });

  it('refuses tarball paths that are not this package’s tarballs', async () => {
    for (const path of ['/npm/fly-ok/-/..%2f..%2fetc%2fpasswd', '/npm/fly-ok/-/other-1.0.0.tgz', '/npm/fly-ok/-/fly-ok-9.9.9.tgz']) {
      expect((await get(path)).status, path).toBe(404);
    }
    // A NUL byte is refused at the edge, before any lookup.
    expect((await get('/npm/fly-ok/-/fly-ok-1.0.0.tgz%00')).status).toBe(400);
  });

  it('answers ping, search and the audit endpoints', async () => {
    expect((await fetch(`${server.url}/npm/-/ping`)).status).toBe(200);
    const search = (await (await get('/npm/-/v1/search?text=okay&size=5')).json()) as { objects: { package: { name: string; version: string } }[] };
    expect(search.objects.map((o) => o.package)).toEqual([expect.objectContaining({ name: '@fly/okay', version: '2.0.0' })]);
    for (const path of ['/npm/-/npm/v1/security/advisories/bulk', '/npm/-/npm/v1/security/audits/quick']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, path).toBe(200);
    }
  });
});
