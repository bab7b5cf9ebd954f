import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel } from '../support/python-dists.js';
import { basicAuth, login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openUploads, storedBlobs, uploadWithFetch } from './uploads.js';

describe('PyPI refuses bad uploads with 400 and stores nothing', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let dir: string;
  let goodFiles: string[];
  /** The blobs the good release stored: a refused upload must leave exactly these. */
  let goodBlobs: string[];

  /** The files the index lists for fly-bad (JSON Simple API). */
  async function listedFiles(): Promise<string[]> {
    const res = await fetch(`${server.url}/pypi/simple/fly-bad/`, {
      headers: { ...basicAuth(writer.username, writer.token), accept: 'application/vnd.pypi.simple.v1+json' },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { files: { filename: string }[] }).files.map((f) => f.filename);
  }

  async function expectRefused(result: { status: number; text: string }, message: RegExp): Promise<void> {
    expect(result.status, result.text).toBe(400);
    expect(result.text).toMatch(message);
    expect(await listedFiles()).toEqual(goodFiles);
    expect(openUploads(server)).toEqual([]);
    expect(storedBlobs(server).sort()).toEqual(goodBlobs);
  }

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'ci', permission: 'read-write' });
    dir = mkdtempSync(join(tmpdir(), 'flyreg-bad-'));
    // One good release, so every refusal is checked against a project that exists.
    const good = await uploadWithFetch(server, writer.username, writer.token, await buildWheel(dir, { name: 'fly-bad', version: '1.0' }));
    expect(good.status, good.text).toBe(200);
    goodFiles = ['fly_bad-1.0-py3-none-any.whl'];
    goodBlobs = storedBlobs(server).sort();
    // The wheel and the METADATA extracted from it.
    expect(goodBlobs).toHaveLength(2);
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a sha256_digest that does not match the content', async () => {
    const wheel = await buildWheel(join(dir), { name: 'fly-bad', version: '1.1' });
    const result = await uploadWithFetch(server, writer.username, writer.token, wheel, { fields: { sha256_digest: 'ab'.repeat(32) } });
    await expectRefused(result, /sha256_digest .* does not match the uploaded content/);
  });

  it('an md5_digest that does not match the content', async () => {
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '1.1' });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, wheel, { fields: { md5_digest: '0'.repeat(32) } }), /md5_digest/);
  });

  it('a filename for another project, or another version', async () => {
    const other = await buildWheel(dir, { name: 'other-project', version: '1.0' });
    await expectRefused(
      await uploadWithFetch(server, writer.username, writer.token, other, { fields: { name: 'fly-bad', version: '1.0' } }),
      /is for project other_project, not fly-bad/,
    );
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '1.2' });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, wheel, { fields: { version: '1.3' } }), /is for version 1\.2, not 1\.3/);
  });

  it('a wheel whose METADATA names another project or version', async () => {
    const sub = mkdtempSync(join(dir, 'liar-'));
    const liar = await buildWheel(sub, { name: 'fly-bad', version: '1.4', metadata: 'Metadata-Version: 2.1\nName: fly-bad\nVersion: 9.9\n\n' });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, liar), /metadata says version 9\.9, not 1\.4/);
  });

  it('a corrupt zip', async () => {
    const corrupt = join(dir, 'fly_bad-1.5-py3-none-any.whl');
    writeFileSync(corrupt, randomBytes(4096));
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, corrupt), /Invalid wheel: not a readable zip archive/);
  });

  it('a corrupt sdist, and one without PKG-INFO', async () => {
    const corrupt = join(dir, 'fly_bad-1.5.tar.gz');
    writeFileSync(corrupt, randomBytes(4096));
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, corrupt), /Invalid sdist/);
  });

  it('oversized METADATA', async () => {
    const huge = `Metadata-Version: 2.1\nName: fly-bad\nVersion: 1.6\n\n${randomBytes(2 * 1024 * 1024).toString('base64')}\n`;
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '1.6', metadata: huge });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, wheel), /METADATA is larger than 2097152 bytes/);
  });

  it('a zip bomb', async () => {
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '1.7', extraFiles: { 'fly_bad/zeros.bin': Buffer.alloc(64 * 1024 * 1024) } });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, wheel), /looks like a zip bomb/);
  });

  it('path traversal in the upload filename or inside the wheel', async () => {
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '1.8' });
    for (const filename of ['../fly_bad-1.8-py3-none-any.whl', 'x/../../fly_bad-1.8-py3-none-any.whl', '/etc/fly_bad-1.8-py3-none-any.whl']) {
      await expectRefused(
        await uploadWithFetch(server, writer.username, writer.token, wheel, { filename, fields: { name: 'fly-bad', version: '1.8' } }),
        /must be a plain file name/,
      );
    }
    // Zip writers refuse to write "../" names, so write a same-length placeholder and patch the name bytes.
    const sub = mkdtempSync(join(dir, 'evil-'));
    const evil = await buildWheel(sub, { name: 'fly-bad', version: '1.9', extraFiles: { 'zz/zz/evil.py': 'import os' } });
    const bytes = readFileSync(evil);
    const placeholder = Buffer.from('zz/zz/evil.py');
    for (let at = bytes.indexOf(placeholder); at >= 0; at = bytes.indexOf(placeholder, at + 1)) bytes.write('../../evil.py', at);
    writeFileSync(evil, bytes);
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, evil), /invalid relative path/);
  });

  it('a form without the file, or with another :action', async () => {
    const wheel = await buildWheel(dir, { name: 'fly-bad', version: '2.0' });
    await expectRefused(await uploadWithFetch(server, writer.username, writer.token, wheel, { fields: { ':action': 'remove_pkg' } }), /file_upload/);
    const empty = new FormData();
    empty.append(':action', 'file_upload');
    const res = await fetch(`${server.url}/pypi/`, { method: 'POST', headers: basicAuth(writer.username, writer.token), body: empty });
    await expectRefused({ status: res.status, text: await res.text() }, /has no file/);
  });

  it('an sdist is accepted after all that (the server is not wedged), with its PKG-INFO read', async () => {
    const sdist = await buildSdist(dir, { name: 'fly-bad', version: '1.0' });
    const result = await uploadWithFetch(server, writer.username, writer.token, sdist);
    expect(result.status, result.text).toBe(200);
    goodFiles.push('fly_bad-1.0.tar.gz');
    expect(await listedFiles()).toEqual(goodFiles);
  });
});
