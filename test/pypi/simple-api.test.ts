import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel } from '../support/python-dists.js';
import { ApiClient, basicAuth, login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { uploadWithFetch } from './uploads.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';
/** What pip 23 sends. */
const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
/** METADATA with CRLF line ends and non-ASCII text: served back, its bytes must be exactly these. */
const METADATA = 'Metadata-Version: 2.1\r\nName: Fly.Demo\r\nVersion: 1.0\r\nSummary: Démo — “quoted”\r\nRequires-Python: >=3.8, <4\r\nRequires-Dist: fly-base>=1\r\n\r\nThe description.\r\n';

interface SimpleFile {
  filename: string;
  url: string;
  hashes: { sha256: string };
  'requires-python'?: string;
  'core-metadata': { sha256: string } | false;
  yanked: boolean | string;
  size: number;
  'upload-time': string;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('PyPI Simple API, files and JSON API over HTTP', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let dir: string;
  let wheel: string;
  let sdist: string;
  let auth: Record<string, string>;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { ...auth, ...headers }, redirect: 'manual' });

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'reader', permission: 'read-only' });
    auth = basicAuth(reader.username, reader.token);
    dir = mkdtempSync(join(tmpdir(), 'flyreg-simple-'));
    wheel = await buildWheel(dir, { name: 'Fly.Demo', version: '1.0', metadata: METADATA });
    sdist = await buildSdist(dir, { name: 'Fly.Demo', version: '1.0' });
    // The upload URL answers with and without its trailing slash, on both mounts.
    for (const [file, path] of [
      [wheel, '/artifactory/api/pypi/pypi'],
      [sdist, '/pypi'],
      [await buildWheel(dir, { name: 'Fly.Demo', version: '1.10rc1' }), '/pypi/'],
      [await buildWheel(dir, { name: 'Fly.Demo', version: '1.2' }), '/artifactory/api/pypi/pypi/'],
    ] as const) {
      const result = await uploadWithFetch(server, writer.username, writer.token, file, { path, fields: { name: 'Fly.Demo' } });
      expect(result.status, `${path}: ${result.text}`).toBe(200);
    }
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks for credentials with 401 and WWW-Authenticate, and accepts the token, creator or __token__ username', async () => {
    const anonymous = await fetch(`${server.url}/artifactory/api/pypi/pypi/simple/fly-demo/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Fly Registry"');
    expect(anonymous.headers.get('content-type')).toMatch(/^text\/plain/);
    for (const username of [reader.username, server.admin.username, '__token__']) {
      expect((await get('/pypi/simple/fly-demo/', basicAuth(username, reader.token))).status).toBe(200);
    }
    const wrong = await get('/pypi/simple/fly-demo/', basicAuth('somebody-else', reader.token));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="Fly Registry"');
    expect(await wrong.text()).toContain('Wrong username for this token');
  });

  it('negotiates HTML or JSON from Accept, honouring q-values, and refuses anything else with 406', async () => {
    const cases: [string | undefined, string | null][] = [
      [undefined, 'text/html'],
      ['*/*', 'text/html'],
      [JSON_TYPE, JSON_TYPE],
      [HTML_TYPE, HTML_TYPE],
      [PIP_ACCEPT, JSON_TYPE],
      [`text/html;q=0.5, ${JSON_TYPE};q=0.2`, 'text/html'],
      [`${HTML_TYPE};q=0.9, ${JSON_TYPE}`, JSON_TYPE],
      ['application/*;q=0.5, text/html;q=0.4', HTML_TYPE],
      ['application/json', null],
      [`${JSON_TYPE};q=0`, null],
    ];
    for (const [accept, expected] of cases) {
      const res = await get('/pypi/simple/fly-demo/', accept ? { accept } : {});
      if (expected === null) {
        expect(res.status, accept).toBe(406);
        continue;
      }
      expect(res.status, accept).toBe(200);
      expect(res.headers.get('content-type')?.split(';')[0], accept).toBe(expected);
      expect(res.headers.get('vary')).toContain('Accept');
    }
  });

  it('serves PEP 691 JSON with PEP 700 fields, sha256 hashes and PEP 714 core-metadata', async () => {
    const res = await get('/artifactory/api/pypi/pypi/simple/fly-demo/', { accept: JSON_TYPE });
    const text = await res.text();
    expect(text).not.toContain('dist-info-metadata');
    const page = JSON.parse(text) as { meta: Record<string, string>; name: string; versions: string[]; files: SimpleFile[] };
    expect(page.meta['api-version']).toBe('1.1');
    expect(page.name).toBe('fly-demo');
    expect(page.versions).toEqual(['1.0', '1.2', '1.10rc1']);
    const byName = new Map(page.files.map((f) => [f.filename, f]));
    const w = byName.get(basename(wheel)) as SimpleFile;
    expect(w.hashes.sha256).toBe(sha256(readFileSync(wheel)));
    expect(w.size).toBe(readFileSync(wheel).length);
    expect(w['requires-python']).toBe('>=3.8, <4');
    expect(w['core-metadata']).toEqual({ sha256: sha256(METADATA) });
    expect(w.yanked).toBe(false);
    expect(Date.now() - Date.parse(w['upload-time'])).toBeLessThan(10 * 60_000);
    const s = byName.get(basename(sdist)) as SimpleFile;
    expect(s['core-metadata']).toBe(false);
    // URLs are relative to the page and lead to the exact bytes.
    const file = await get(new URL(w.url, `${server.url}/artifactory/api/pypi/pypi/simple/fly-demo/`).pathname);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFileSync(wheel))).toBe(true);
  });

  it('serves PEP 503 HTML with #sha256 fragments, escaped data-requires-python and data-core-metadata', async () => {
    const html = await (await get('/pypi/simple/fly-demo/', { accept: 'text/html' })).text();
    expect(html).toContain('<meta name="pypi:repository-version" content="1.1">');
    const anchor = html.split('\n').find((line) => line.includes(`>${basename(wheel)}<`)) as string;
    expect(anchor).toContain(`href="../../packages/fly-demo/${basename(wheel)}#sha256=${sha256(readFileSync(wheel))}"`);
    expect(anchor).toContain('data-requires-python="&gt;=3.8, &lt;4"');
    expect(anchor).toContain(`data-core-metadata="sha256=${sha256(METADATA)}"`);
    expect(html).not.toContain('data-dist-info-metadata');
    expect(html).not.toContain('data-yanked');
  });

  it('serves <wheel>.metadata with the exact METADATA bytes from the wheel', async () => {
    const res = await get(`/pypi/packages/fly-demo/${basename(wheel)}.metadata`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(METADATA))).toBe(true);
    expect((await get(`/pypi/packages/fly-demo/${basename(sdist)}.metadata`)).status).toBe(404);
    expect((await get('/pypi/packages/fly-demo/fly_demo-9.9-py3-none-any.whl')).status).toBe(404);
  });

  it('redirects other spellings and missing slashes to the canonical URL with 301', async () => {
    const cases: [string, string][] = [
      ['/pypi/simple/Fly.Demo/', '/pypi/simple/fly-demo/'],
      ['/artifactory/api/pypi/pypi/simple/FLY__demo/', '/artifactory/api/pypi/pypi/simple/fly-demo/'],
      ['/pypi/simple/fly-demo', '/pypi/simple/fly-demo/'],
      ['/pypi/simple/Fly_Demo', '/pypi/simple/fly-demo/'],
      ['/pypi/simple', '/pypi/simple/'],
      ['/pypi/Fly.Demo/json', '/pypi/fly-demo/json'],
      ['/artifactory/api/pypi/pypi/pypi/Fly.Demo/1.0/json', '/artifactory/api/pypi/pypi/pypi/fly-demo/1.0/json'],
    ];
    for (const [from, to] of cases) {
      const res = await get(from);
      expect(res.status, from).toBe(301);
      expect(res.headers.get('location'), from).toBe(to);
    }
    expect((await get('/pypi/simple/no-such-project/')).status).toBe(404);
  });

  it('lists projects on the root index in both formats', async () => {
    const json = (await (await get('/pypi/simple/', { accept: JSON_TYPE })).json()) as { projects: { name: string }[] };
    expect(json.projects).toContainEqual({ name: 'fly-demo' });
    const html = await (await get('/artifactory/api/pypi/pypi/simple/')).text();
    expect(html).toContain('<a href="fly-demo/">Fly.Demo</a>');
  });

  it('answers the JSON project API like PyPI: info of the latest final release, releases, urls', async () => {
    for (const path of ['/pypi/fly-demo/json', '/artifactory/api/pypi/pypi/pypi/fly-demo/json']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const body = (await res.json()) as {
        info: { name: string; version: string; requires_dist: string[] | null; summary: string };
        releases: Record<string, { filename: string; url: string; digests: { sha256: string } }[]>;
        urls: { filename: string; url: string }[];
      };
      expect(body.info.name).toBe('Fly.Demo');
      // 1.10rc1 is newer but a pre-release: the latest final release is 1.2.
      expect(body.info.version).toBe('1.2');
      expect(Object.keys(body.releases).sort()).toEqual(['1.0', '1.10rc1', '1.2']);
      const prefix = path.startsWith('/pypi/') ? '/pypi' : '/artifactory/api/pypi/pypi';
      expect(body.urls.map((u) => u.url)).toEqual([`${server.url.replace('127.0.0.1', 'localhost')}${prefix}/packages/fly-demo/Fly_Demo-1.2-py3-none-any.whl`]);
    }
    const release = (await (await get('/pypi/fly-demo/1.0/json')).json()) as { info: { version: string; summary: string; requires_dist: string[] }; urls: unknown[] };
    expect(release.info.version).toBe('1.0');
    expect(release.info.summary).toBe('Démo — “quoted”');
    expect(release.info.requires_dist).toEqual(['fly-base>=1']);
    expect(release.urls).toHaveLength(2);
    expect((await get('/pypi/fly-demo/7.0/json')).status).toBe(404);
  });

  it('yanks and un-yanks a release through the management API (PEP 592), not with a read-only token', async () => {
    const readOnly = await new ApiClient(server, reader.token).post('/api/v1/pypi/projects/fly-demo/versions/1.0/yank', { reason: 'nope' });
    expect(readOnly.status).toBe(403);
    const yank = await new ApiClient(server, writer.token).post('/api/v1/pypi/projects/Fly.Demo/versions/1.0/yank', { reason: 'broken <build>' });
    expect(yank.status, JSON.stringify(yank.body)).toBe(200);
    expect(yank.body).toMatchObject({ project: 'fly-demo', version: '1.0', yanked: true });

    const page = (await (await get('/pypi/simple/fly-demo/', { accept: JSON_TYPE })).json()) as { files: SimpleFile[] };
    expect(page.files.filter((f) => f.yanked === 'broken <build>').map((f) => f.filename).sort()).toEqual([basename(wheel), basename(sdist)].sort());
    const html = await (await get('/pypi/simple/fly-demo/')).text();
    expect(html).toContain('data-yanked="broken &lt;build&gt;"');

    expect((await admin.post('/api/v1/pypi/projects/fly-demo/versions/1.0/unyank')).status).toBe(200);
    const after = (await (await get('/pypi/simple/fly-demo/', { accept: JSON_TYPE })).json()) as { files: SimpleFile[] };
    expect(after.files.every((f) => f.yanked === false)).toBe(true);
    expect((await admin.post('/api/v1/pypi/projects/fly-demo/versions/3.0/yank', {})).status).toBe(404);
  });

  it('accepts the wheels of one release uploaded in parallel (CI matrix builds)', async () => {
    const tags = ['py38-none-any', 'py39-none-any', 'py310-none-any', 'py311-none-any'];
    const wheels = await Promise.all(tags.map((wheelTag) => buildWheel(dir, { name: 'fly-parallel', version: '3.0', wheelTag })));
    const results = await Promise.all(wheels.map((w) => uploadWithFetch(server, writer.username, writer.token, w)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const page = (await (await get('/pypi/simple/fly-parallel/', { accept: JSON_TYPE })).json()) as { versions: string[]; files: SimpleFile[] };
    expect(page.versions).toEqual(['3.0']);
    expect(page.files.map((f) => f.filename).sort()).toEqual(wheels.map((w) => basename(w)).sort());
  });

  it('revalidates index pages with ETag and 304', async () => {
    const first = await get('/pypi/simple/fly-demo/', { accept: JSON_TYPE });
    const etag = first.headers.get('etag') as string;
    expect(etag).toBeTruthy();
    expect((await get('/pypi/simple/fly-demo/', { accept: JSON_TYPE, 'if-none-match': etag })).status).toBe(304);
    // A new upload changes the page, so the old tag no longer matches.
    const result = await uploadWithFetch(server, writer.username, writer.token, await buildWheel(dir, { name: 'Fly.Demo', version: '1.3' }), { fields: { name: 'Fly.Demo' } });
    expect(result.status).toBe(200);
    const fresh = await get('/pypi/simple/fly-demo/', { accept: JSON_TYPE, 'if-none-match': etag });
    expect(fresh.status).toBe(200);
    expect(((await fresh.json()) as { versions: string[] }).versions).toContain('1.3');
  });
});
