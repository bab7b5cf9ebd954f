import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel } from '../support/python-dists.js';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { createVenv, pip, pipIndexUrl, run } from '../support/python-tools.js';
import { twineUpload } from './twine.js';

/** URLs the server logged (one JSON line per request), for checking what pip fetched. */
function requestedUrls(server: TestServer): string[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; url?: string })
    .filter((entry) => entry.msg === 'request' && entry.url)
    .map((entry) => entry.url as string);
}

describe('PyPI with the real twine and pip', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let work: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'ci upload', permission: 'read-write' });
    reader = await admin.createToken({ name: 'deploy install', permission: 'read-only' });
    work = mkdtempSync(join(tmpdir(), 'flyreg-pypi-'));
    const dists = join(work, 'dists');
    await run('mkdir', ['-p', dists]);
    files.baseWheel = await buildWheel(dists, { name: 'fly-base', version: '1.0' });
    files.baseSdist = await buildSdist(dists, { name: 'fly-base', version: '1.0' });
    // A newer release pip must skip on this Python: it requires Python 4.
    files.futureWheel = await buildWheel(dists, { name: 'fly-base', version: '2.0', requiresPython: '>=4' });
    files.appWheel = await buildWheel(dists, { name: 'Fly.App', version: '0.3.1', requiresDist: ['fly-base>=1.0'] });
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('twine uploads wheels and an sdist with a read & write token and its username', async () => {
    const result = await twineUpload(server.url, writer.username, writer.token, [files.baseWheel, files.baseSdist, files.futureWheel] as string[]);
    expect(result.output).not.toContain('HTTPError');
    expect(result.code).toBe(0);
  });

  it('twine uploads with __token__ as the username', async () => {
    const result = await twineUpload(server.url, '__token__', writer.token, [files.appWheel as string]);
    expect(result.code, result.output).toBe(0);
  });

  it('pip installs a package and its dependency with only PIP_INDEX_URL (read-only token), honouring Requires-Python and using .metadata', async () => {
    const python = await createVenv(join(work, 'venv'));
    const before = requestedUrls(server).length;
    const install = await pip(python, pipIndexUrl(server.host, reader.username, reader.token), ['install', 'fly.app']);
    expect(install.code, install.output).toBe(0);
    // Requires-Python >=4 excludes 2.0, so the dependency resolves to 1.0.
    const imported = await run(python, ['-c', 'import fly_app, fly_base; print(fly_app.VERSION, fly_base.VERSION)']);
    expect(imported.stdout.trim()).toBe('0.3.1 1.0');
    expect(install.output).not.toContain(reader.token);

    const urls = requestedUrls(server).slice(before);
    // pip reads dependencies from the PEP 658 metadata file before it downloads each wheel.
    expect(urls).toContain('/artifactory/api/pypi/pypi/packages/fly-app/Fly_App-0.3.1-py3-none-any.whl.metadata');
    expect(urls).toContain('/artifactory/api/pypi/pypi/packages/fly-base/fly_base-1.0-py3-none-any.whl.metadata');
    expect(urls).toContain('/artifactory/api/pypi/pypi/packages/fly-base/fly_base-1.0-py3-none-any.whl');
    expect(urls.some((u) => u.includes('fly_base-2.0'))).toBe(false);
  });

  it('pip downloads the sdist byte for byte', async () => {
    const python = await createVenv(join(work, 'venv-download'));
    const out = join(work, 'downloaded');
    const result = await pip(python, pipIndexUrl(server.host, reader.username, reader.token), [
      'download',
      '--no-deps',
      '--no-binary',
      ':all:',
      '--dest',
      out,
      'fly-base==1.0',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(readdirSync(out)).toEqual(['fly_base-1.0.tar.gz']);
    expect(readFileSync(join(out, 'fly_base-1.0.tar.gz')).equals(readFileSync(files.baseSdist as string))).toBe(true);
  });

  it('refuses twine with the read-only token: 403 saying it is read-only', async () => {
    const { buildWheel: build } = await import('../support/python-dists.js');
    const wheel = await build(join(work, 'dists'), { name: 'fly-readonly', version: '1.0' });
    const result = await twineUpload(server.url, reader.username, reader.token, [wheel]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('403');
    expect(result.output).toContain('read-only');
    const page = await fetch(`${server.url}/pypi/simple/fly-readonly/`, { headers: { authorization: `Bearer ${writer.token}` } });
    expect(page.status).toBe(404);
  });

  it('refuses a revoked token with 401 for twine and pip', async () => {
    const doomed = await admin.createToken({ name: 'soon revoked', permission: 'read-write' });
    expect((await admin.post(`/api/v1/tokens/${doomed.id}/revoke`)).status).toBe(200);
    const upload = await twineUpload(server.url, doomed.username, doomed.token, [files.appWheel as string]);
    expect(upload.code).not.toBe(0);
    expect(upload.output).toContain('401');

    const python = join(work, 'venv', 'bin', 'python');
    const before = server.output().length;
    const install = await pip(python, pipIndexUrl(server.host, doomed.username, doomed.token), ['download', '--no-deps', '-d', join(work, 'nothing'), 'fly-base']);
    expect(install.code).not.toBe(0);
    // pip reports "no versions" to its user; the server log shows why: the index answered 401.
    const answered = (await server.settledOutput())
      .slice(before)
      .split('\n')
      .filter((line) => line.includes('"url":"/artifactory/api/pypi/pypi/simple/fly-base/"'));
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((line) => line.includes('"status":401'))).toBe(true);
  });

  it('answers a duplicate upload with 409, and twine --skip-existing passes', async () => {
    const again = await twineUpload(server.url, writer.username, writer.token, [files.baseWheel as string]);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('409');
    const skipping = await twineUpload(server.url, writer.username, writer.token, [files.baseWheel as string, files.baseSdist as string], ['--skip-existing']);
    expect(skipping.code, skipping.output).toBe(0);
    expect(skipping.output).toMatch(/Skipping fly_base-1\.0-py3-none-any\.whl because it appears to already\s+exist/);
  });
});
