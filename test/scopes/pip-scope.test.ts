import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { twineUpload } from '../pypi/twine.js';
import { buildWheel } from '../support/python-dists.js';
import { createVenv, pip, pipIndexUrl } from '../support/python-tools.js';

/**
 * Fine-grained scopes with the real pip and twine: a token scoped to `pypi:acme-*` installs acme-lib, is
 * refused other-lib, sees only acme-… in the simple index, and may upload only acme-… projects.
 */
describe('a PyPI token scoped to pypi:acme-*', () => {
  let server: TestServer;
  let admin: ApiClient;
  let publisher: CreatedToken;
  let acmeReader: CreatedToken;
  let acmeWriter: CreatedToken;
  let work: string;
  const wheels: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    publisher = await admin.createToken({ name: 'seed', permission: 'read-write' });
    // Spelled as a user might: the pattern is normalised as PyPI normalises names.
    acmeReader = await admin.createToken({ name: 'acme install', permission: 'read-only', scope: ['pypi:Acme_*'] });
    acmeWriter = await admin.createToken({ name: 'acme upload', permission: 'read-write', scope: ['pypi:acme-*'] });
    work = mkdtempSync(join(tmpdir(), 'flyreg-pypi-scope-'));
    wheels.acme = await buildWheel(work, { name: 'acme-lib', version: '1.0' });
    wheels.other = await buildWheel(work, { name: 'other-lib', version: '1.0' });
    wheels.acmeTwo = await buildWheel(work, { name: 'acme-two', version: '1.0' });
    wheels.otherTwo = await buildWheel(work, { name: 'other-two', version: '1.0' });
    const seeded = await twineUpload(server.url, publisher.username, publisher.token, [wheels.acme as string, wheels.other as string]);
    expect(seeded.code, seeded.output).toBe(0);
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the pattern is stored as PyPI spells names', () => {
    expect(acmeReader.scope).toEqual([{ protocol: 'pypi', resource: 'acme-*', actions: ['pull'] }]);
  });

  it('pip installs acme-lib and is refused other-lib', async () => {
    const python = await createVenv(join(work, 'venv'));
    const index = pipIndexUrl(server.host, acmeReader.username, acmeReader.token);
    const ok = await pip(python, index, ['install', 'acme-lib']);
    expect(ok.code, ok.output).toBe(0);
    const refused = await pip(python, index, ['install', 'other-lib']);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/403|No matching distribution/);
    expect(refused.output).not.toContain(acmeReader.token);
  });

  it('the simple index root lists only acme-… for the scoped token', async () => {
    const auth = (t: CreatedToken) => ({ authorization: `Basic ${Buffer.from(`${t.username}:${t.token}`).toString('base64')}` });
    const json = { accept: 'application/vnd.pypi.simple.v1+json' };
    const full = await fetch(`${server.url}/pypi/simple/`, { headers: { ...auth(publisher), ...json } });
    expect(((await full.json()) as { projects: { name: string }[] }).projects.map((p) => p.name).sort()).toEqual(['acme-lib', 'other-lib']);
    const scoped = await fetch(`${server.url}/pypi/simple/`, { headers: { ...auth(acmeReader), ...json } });
    expect(scoped.status).toBe(200);
    expect(((await scoped.json()) as { projects: { name: string }[] }).projects.map((p) => p.name)).toEqual(['acme-lib']);
    const page = await fetch(`${server.url}/pypi/simple/other-lib/`, { headers: auth(acmeReader) });
    expect(page.status).toBe(403);
  });

  it('twine uploads acme-two with the scoped read & write token and is refused other-two', async () => {
    const inside = await twineUpload(server.url, acmeWriter.username, acmeWriter.token, [wheels.acmeTwo as string]);
    expect(inside.code, inside.output).toBe(0);
    const outside = await twineUpload(server.url, acmeWriter.username, acmeWriter.token, [wheels.otherTwo as string]);
    expect(outside.code).not.toBe(0);
    expect(outside.output).toMatch(/403/);
    const missing = await fetch(`${server.url}/pypi/simple/other-two/`, {
      headers: { authorization: `Basic ${Buffer.from(`${publisher.username}:${publisher.token}`).toString('base64')}` },
    });
    expect(missing.status).toBe(404);
  });
});
