import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildWheel } from '../support/python-dists.js';
import { ApiClient, login, type CreatedToken } from '../helpers/api.js';
import { blobStored, fileDigest as sha256, runGc } from '../helpers/gc.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { twineUpload } from './twine.js';
import { storedBlobs } from './uploads.js';

/** `flyreg gc` reclaims a yanked-then-deleted release's files (and their core metadata), nothing else. */
describe('flyreg gc after a PyPI release is yanked and deleted', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    const admin = await login(server);
    writer = await admin.createToken({ name: 'CI upload', permission: 'read-write' });
    reader = await admin.createToken({ name: 'install', permission: 'read-only' });
    api = new ApiClient(server, writer.token);
  });
  afterAll(() => server?.stop());

  it('refuses to delete an unyanked release or with a read-only token; gc then removes the deleted wheel and its metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flyreg-gc-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const [kept, dropped] = [await buildWheel(dir, { name: 'fly-gc', version: '1.0' }), await buildWheel(dir, { name: 'fly-gc', version: '2.0' })];
    const uploaded = await twineUpload(server.url, writer.username, writer.token, [kept, dropped]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    // Each wheel and its PEP 658 core metadata: four blobs.
    expect(storedBlobs(server)).toHaveLength(4);
    const before = new Set(storedBlobs(server));

    expect((await api.delete('/api/v1/pypi/projects/fly-gc/versions/2.0')).status).toBe(409);
    expect((await api.post('/api/v1/pypi/projects/fly-gc/versions/2.0/yank', { reason: 'broken' })).status).toBe(200);
    expect((await new ApiClient(server, reader.token).delete('/api/v1/pypi/projects/fly-gc/versions/2.0')).status).toBe(403);
    const deleted = await api.delete<{ files: number }>('/api/v1/pypi/projects/fly-gc/versions/2.0');
    expect(deleted.status).toBe(200);
    expect(deleted.body.files).toBe(1);
    const page = await fetch(`${server.url}/pypi/simple/fly-gc/`, { headers: { authorization: `Basic ${Buffer.from(`__token__:${reader.token}`).toString('base64')}` } });
    expect(await page.text()).not.toContain('fly_gc-2.0');

    expect(await runGc(server)).toMatch(/Removed 0 blob\(s\)/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await runGc(server, '--grace-seconds', '1')).toMatch(/Removed 2 blob\(s\)/);
    expect(blobStored(server, sha256(dropped))).toBe(false);
    expect(blobStored(server, sha256(kept))).toBe(true);
    const after = storedBlobs(server);
    expect(after).toHaveLength(2);
    for (const blob of after) expect(before.has(blob)).toBe(true);

    // The remaining release is still served: the wheel and its core metadata.
    const file = await fetch(`${server.url}/pypi/packages/fly-gc/fly_gc-1.0-py3-none-any.whl.metadata`, {
      headers: { authorization: `Basic ${Buffer.from(`__token__:${reader.token}`).toString('base64')}` },
    });
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('Name: fly-gc');
  });
});
