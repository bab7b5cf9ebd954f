import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { TEST_ENGINE } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OCI_MANIFEST } from '../oci/helpers/oci-layout.js';
import { creds, skopeo } from '../oci/helpers/registry.js';
import { pushImage } from '../oci/helpers/push.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { npmTarball, publishAll } from '../support/npm-fixtures.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { buildWheel } from '../support/python-dists.js';
import { createVenv, pip, pipIndexUrl } from '../support/python-tools.js';
import { answeredFromMemory, expectRefusedOnceRevoked, expectServedFromMemory, seen, type RealClient, type Seen } from './answers.js';

function send(server: TestServer, path: string, init: { method?: string; headers: Record<string, string> }): Promise<Seen> {
  return fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers: init.headers, redirect: 'manual' }).then(seen);
}

/**
 * The memory lane (src/protocols/kit/memory-lane.ts) answers what is in memory before Fastify sees the
 * request. Its answers must be the very ones Fastify's lane gives (status, headers, bytes), and its guard
 * the same: these requests are sent three times, the first answered by Fastify (nothing is cached yet), the
 * later ones from memory (the access log says so), and every answer is compared with the first.
 */
describe(`the memory lane on ${TEST_ENGINE}`, () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let scratch: string;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'lane writer', permission: 'read-write' });
    reader = await admin.createToken({ name: 'lane reader', permission: 'read-only' });
    await pushImage(server, writer, 'lane/app', 'v1');
    const scoped = { name: '@lane/scoped', version: '1.0.0', main: 'index.js' };
    const plain = { name: 'lane-plain', version: '1.0.0', main: 'index.js' };
    await publishAll(`${server.url}/npm/`, writer.token, [
      { name: scoped.name, version: scoped.version, manifest: scoped, tarball: npmTarball(scoped) },
      { name: plain.name, version: plain.version, manifest: plain, tarball: npmTarball(plain) },
    ]);
    scratch = mkdtempSync(join(tmpdir(), 'fly-lane-'));
    const wheel = await buildWheel(scratch, { name: 'lane-wheel', version: '1.0.0', requiresPython: '>=3.8' });
    expect((await uploadDistribution(server.url, writer.username, writer.token, wheel)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const bearerFor = async (token: CreatedToken, scope: string): Promise<string> => {
    const res = await fetch(`${server.url}/v2/token?service=${server.host}&scope=${scope}`, { headers: basicAuth(token.username, token.token) });
    expect(res.status).toBe(200);
    return `Bearer ${((await res.json()) as { token: string }).token}`;
  };

  it('answers manifests, packuments and Simple pages from memory exactly as Fastify does', async () => {
    const basic = basicAuth(reader.username, reader.token);
    const bearer = { authorization: await bearerFor(reader, 'repository:lane/app:pull') };
    const packument = await send(server, '/npm/lane-plain', { headers: { authorization: `Bearer ${reader.token}` } });
    const cases: { path: string; method?: string; headers: Record<string, string> }[] = [
      { path: '/v2/lane/app/manifests/v1', headers: { ...bearer, accept: OCI_MANIFEST } },
      { path: '/v2/lane/app/manifests/v1', method: 'HEAD', headers: { ...basic, accept: OCI_MANIFEST } },
      { path: '/npm/lane-plain', headers: { authorization: `Bearer ${reader.token}` } },
      { path: '/npm/lane-plain', headers: { authorization: `Bearer ${reader.token}`, accept: 'application/vnd.npm.install-v1+json; q=1.0, */*' } },
      { path: '/npm/lane-plain', headers: { authorization: `Bearer ${reader.token}`, 'if-none-match': packument.headers.etag ?? '' } },
      { path: '/npm/@lane%2fscoped', headers: { authorization: `Bearer ${reader.token}`, accept: 'application/vnd.npm.install-v1+json' } },
      { path: '/pypi/simple/lane-wheel/', headers: { ...basic, accept: 'application/vnd.pypi.simple.v1+json' } },
      { path: '/pypi/simple/lane-wheel/', headers: { ...basic, accept: 'text/html' } },
    ];
    for (const c of cases) {
      const first = await send(server, c.path, c);
      expect(first.status, `${c.method ?? 'GET'} ${c.path}`).toBeLessThan(400);
      for (let i = 0; i < 2; i++) expect(await send(server, c.path, c), `${c.method ?? 'GET'} ${c.path} again`).toEqual(first);
    }
    expect(packument.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const path of ['/v2/lane/app/manifests/v1', '/npm/lane-plain', '/npm/@lane%2fscoped', '/pypi/simple/lane-wheel/']) {
      expect(await answeredFromMemory(server, path), path).toBeGreaterThan(0);
    }
  });

  it('serves skopeo, npm and pip from memory, and refuses them once their token is revoked', async () => {
    const token = await admin.createToken({ name: 'real clients', permission: 'read-only' });
    const sandbox = new NpmSandbox();
    onTestFinished(() => sandbox.remove());
    const project = sandbox.project(token.snippets.npmrc);
    const python = await createVenv(join(scratch, 'venv'));
    let downloads = 0;
    const warmHeaders = (accept: string) => ({ ...basicAuth(token.username, token.token), accept });
    const clients: RealClient[] = [
      {
        path: '/v2/lane/app/manifests/v1',
        warmHeaders: warmHeaders(OCI_MANIFEST),
        run: () => skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(token), `docker://${server.host}/lane/app:v1`]),
        check: (out: string) => expect((JSON.parse(out) as { mediaType: string }).mediaType).toBe(OCI_MANIFEST),
      },
      {
        path: '/artifactory/api/npm/npm/lane-plain',
        warmHeaders: warmHeaders('application/json'),
        run: () => sandbox.run(project, ['view', 'lane-plain', '--json'], { cache: sandbox.freshCache() }),
        check: (out: string) => expect((JSON.parse(out) as { version: string }).version).toBe('1.0.0'),
      },
      {
        path: '/artifactory/api/pypi/pypi/simple/lane-wheel/',
        warmHeaders: warmHeaders('application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01'),
        run: () => pip(python, pipIndexUrl(server.host, token.username, token.token), ['download', '--no-deps', '-d', join(scratch, `pip-${++downloads}`), 'lane-wheel==1.0.0']),
        check: (out: string) => expect(out).toContain('lane_wheel-1.0.0'),
      },
    ];
    try {
      for (const client of clients) await expectServedFromMemory(server, client);
      await expectRefusedOnceRevoked(server, admin, token, clients, basicAuth(reader.username, reader.token));
    } finally {
      sandbox.remove();
    }
  }, 240_000);

  it('refuses on the next request a token revoked while its answers are in memory, in each protocol’s own format', async () => {
    const token = await admin.createToken({ name: 'revoked in memory', permission: 'read-only' });
    const bearer = await bearerFor(token, 'repository:lane/app:pull');
    const requests = [
      { path: '/v2/lane/app/manifests/v1', headers: { authorization: bearer, accept: OCI_MANIFEST } },
      { path: '/npm/lane-plain', headers: { authorization: `Bearer ${token.token}` } },
      { path: '/pypi/simple/lane-wheel/', headers: basicAuth(token.username, token.token) },
    ];
    for (const r of requests) for (let i = 0; i < 2; i++) expect((await send(server, r.path, r)).status).toBe(200);
    expect((await admin.post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
    const [oci, npm, pypi] = await Promise.all(requests.map((r) => send(server, r.path, r)));
    expect(oci?.status).toBe(401);
    expect((JSON.parse(oci?.body.toString() ?? '') as { errors: { code: string }[] }).errors[0]?.code).toBe('UNAUTHORIZED');
    expect(npm?.status).toBe(401);
    expect(npm?.body.toString()).toContain('revoked');
    expect(pypi?.status).toBe(401);
    expect(pypi?.body.toString()).toContain('revoked');
  });

  it('refuses a token outside its scope, however often it asks', async () => {
    const other = await admin.createToken({ name: 'other things', permission: 'read-only', scope: ['oci:other/*', 'npm:other-*', 'pypi:other-*'] });
    const requests = [
      { path: '/v2/lane/app/manifests/v1', headers: { ...basicAuth(other.username, other.token), accept: OCI_MANIFEST } },
      { path: '/npm/lane-plain', headers: { authorization: `Bearer ${other.token}` } },
      { path: '/pypi/simple/lane-wheel/', headers: basicAuth(other.username, other.token) },
    ];
    for (const r of requests) {
      const first = await send(server, r.path, r);
      expect(first.status, r.path).toBe(403);
      expect(await send(server, r.path, r)).toEqual(first);
    }
  });
});

describe(`the memory lane behind a trusted proxy on ${TEST_ENGINE}`, () => {
  const LIMIT = 3;
  let server: TestServer;
  let reader: CreatedToken;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_TRUST_PROXY: 'true', FLY_AUTH_FAILURE_LIMIT: String(LIMIT), FLY_AUTH_FAILURE_WINDOW: '600' } });
    const admin = await login(server);
    const writer = await admin.createToken({ name: 'proxy writer', permission: 'read-write' });
    reader = await admin.createToken({ name: 'proxy reader', permission: 'read-only' });
    const plain = { name: 'proxy-plain', version: '1.0.0', main: 'index.js' };
    await publishAll(`${server.url}/npm/`, writer.token, [{ name: plain.name, version: plain.version, manifest: plain, tarball: npmTarball(plain) }]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  const packument = (address: string, token: string) => fetch(`${server.url}/npm/proxy-plain`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `${address}, 10.0.0.1` } });

  it('logs the forwarded client, and refuses an address over its failure limit even for a token in memory', async () => {
    for (let i = 0; i < 3; i++) expect((await packument('203.0.113.7', reader.token)).status).toBe(200);
    const lines = (await server.settledOutput()).split('\n').filter((l) => l.includes('"from":"memory"') && l.includes('/npm/proxy-plain'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect((JSON.parse(line) as { ip: string }).ip).toBe('203.0.113.7');

    const wrong = `${reader.token.slice(0, -4)}AAAA`;
    for (let i = 0; i < LIMIT; i++) expect((await packument('203.0.113.8', wrong)).status).toBe(401);
    expect((await packument('203.0.113.8', reader.token)).status).toBe(429);
    expect((await packument('203.0.113.7', reader.token)).status).toBe(200);
  });
});
