import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../src/api/answers.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);

/** curl with the credentials on stdin's config (never on the command line), answering status and body. */
async function curl(args: string[], user?: { username: string; token: string }): Promise<{ status: number; body: string }> {
  const auth = user ? ['-u', `${user.username}:${user.token}`] : [];
  const { stdout } = await run('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', ...auth, ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'latin1' });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe('generic files: curl and flyreg upload/download behind tokens', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let cli: CliUser;
  let dir: string;
  let payload: Buffer;
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const url = (path: string) => `${server.url}/artifactory/api/generic/${path}`;
  const as = (t: CreatedToken) => ({ username: t.username, token: t.token });

  beforeAll(async () => {
    server = await startServer();
    const admin = await login(server);
    writer = await admin.createToken({ name: 'ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'ro', permission: 'read-only' });
    cli = new CliUser();
    await cli.login(server);
    dir = join(cli.root, 'files');
    mkdirSync(dir);
    payload = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(dir, 'tool.tar.gz'), payload);
  });

  afterAll(async () => {
    await server?.stop();
    cli?.remove();
  });

  it('curl uploads with X-Checksum-Sha256 and downloads byte-identical, with checksums and Range', async () => {
    const put = await curl(['-T', join(dir, 'tool.tar.gz'), '-H', `X-Checksum-Sha256: ${sha256(payload)}`, url('tool/1.0.0/tool.tar.gz')], as(writer));
    expect(put.status, put.body).toBe(201);
    const { stdout } = await run('curl', ['-sSf', '-D', join(dir, 'headers'), '-u', `${reader.username}:${reader.token}`, '-o', join(dir, 'got'), url('tool/1.0.0/tool.tar.gz')]);
    expect(stdout).toBe('');
    expect(readFileSync(join(dir, 'got')).equals(payload)).toBe(true);
    expect(readFileSync(join(dir, 'headers'), 'utf8').toLowerCase()).toContain(`x-checksum-sha256: ${sha256(payload)}`);
    const range = await curl(['-r', '10-19', url('tool/1.0.0/tool.tar.gz')], as(reader));
    expect(range.status).toBe(206);
    expect(Buffer.from(range.body, 'latin1').equals(payload.subarray(10, 20))).toBe(true);
    const listing = await curl([url('tool/1.0.0/')], as(reader));
    expect(listing.body).toContain('tool.tar.gz');
  });

  it('a small file (served from memory once read) downloads byte-identical, with HEAD, Range and If-None-Match', async () => {
    const small = randomBytes(1000);
    writeFileSync(join(dir, 'small.txt'), small);
    expect((await curl(['-T', join(dir, 'small.txt'), url('small/1.0.0/small.txt')], as(writer))).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      await run('curl', ['-sSf', '-u', `${reader.username}:${reader.token}`, '-o', join(dir, 'small-got'), url('small/1.0.0/small.txt')]);
      expect(readFileSync(join(dir, 'small-got')).equals(small)).toBe(true);
    }
    const head = await run('curl', ['-sSf', '-I', '-u', `${reader.username}:${reader.token}`, url('small/1.0.0/small.txt')]);
    expect(head.stdout.toLowerCase()).toContain('content-length: 1000');
    expect(head.stdout.toLowerCase()).toContain(`x-checksum-sha256: ${sha256(small)}`);
    const range = await run('curl', ['-sS', '-D', '-', '-o', join(dir, 'small-range'), '-r', '100-199', '-u', `${reader.username}:${reader.token}`, url('small/1.0.0/small.txt')]);
    expect(range.stdout).toMatch(/^HTTP\/1\.1 206/);
    expect(range.stdout.toLowerCase()).toContain('content-range: bytes 100-199/1000');
    expect(readFileSync(join(dir, 'small-range')).equals(small.subarray(100, 200))).toBe(true);
    const etag = /etag: ("[0-9a-f]+")/i.exec(head.stdout)?.[1] ?? '';
    expect((await curl(['-H', `If-None-Match: ${etag}`, url('small/1.0.0/small.txt')], as(reader))).status).toBe(304);
  });

  it('refuses a checksum mismatch and stores nothing', async () => {
    const put = await curl(['-T', join(dir, 'tool.tar.gz'), '-H', `X-Checksum-Sha256: ${'0'.repeat(64)}`, url('tool/1.0.1/tool.tar.gz')], as(writer));
    expect(put.status).toBe(409);
    expect(put.body).toContain('does not match');
    expect((await curl([url('tool/1.0.1/tool.tar.gz')], as(reader))).status).toBe(404);
  });

  it('refuses an upload with a Read-Only token (403) and without credentials (401 with a Basic challenge)', async () => {
    const put = await curl(['-T', join(dir, 'tool.tar.gz'), url('tool/2.0.0/tool.tar.gz')], as(reader));
    expect(put.status).toBe(403);
    expect(put.body).toContain('read-only');
    const res = await fetch(url('tool/1.0.0/tool.tar.gz'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('keeps versions immutable until deleted', async () => {
    const again = await curl(['-T', join(dir, 'tool.tar.gz'), url('tool/1.0.0/tool.tar.gz')], as(writer));
    expect(again.status).toBe(409);
    expect(again.body).toContain('immutable');
    expect((await curl(['-X', 'DELETE', url('tool/1.0.0/')], as(reader))).status).toBe(403);
    expect((await curl(['-X', 'DELETE', url('tool/1.0.0/')], as(writer))).status).toBe(204);
    expect((await curl([url('tool/1.0.0/tool.tar.gz')], as(reader))).status).toBe(404);
    const reupload = await curl(['-T', join(dir, 'tool.tar.gz'), url('tool/1.0.0/tool.tar.gz')], as(writer));
    expect(reupload.status).toBe(201);
  });

  it('refuses paths with ".." before anything else', async () => {
    for (const path of ['tool/../1.0.0/x', 'tool/%2e%2e/x/y', 'tool/1.0/.hidden']) {
      const res = await curl(['--path-as-is', '-T', join(dir, 'tool.tar.gz'), url(path)], as(writer));
      expect(res.status, path).toBe(400);
    }
  });

  it('flyreg upload and flyreg download round-trip the bytes', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'release notes\n');
    const up = await cli.run(['upload', join(dir, 'notes.txt'), '--name', 'docs', '--version', '3.1']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('uploaded docs@3.1/notes.txt');
    mkdirSync(join(dir, 'out'));
    const down = await cli.run(['download', 'docs@3.1', '--dir', join(dir, 'out')]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out/notes.txt'), 'utf8')).toBe('release notes\n');
    const refused = await cli.run(['upload', join(dir, 'notes.txt'), '--name', 'docs', '--version', '3.1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('immutable');
  });

  it('records uploads and deletes in the audit log and stamps the token as used', async () => {
    const admin = await login(server);
    const audit = await admin.get<AuditPage>('/api/v1/audit?limit=100');
    const actions = audit.body.events.map((e) => `${e.action} ${e.target.name ?? ''}`);
    expect(actions, actions.join('; ')).toContain('package.published tool/1.0.0/tool.tar.gz');
    expect(actions).toContain('package.unpublished tool 1.0.0');
    const token = await admin.get<{ lastUsedAt: string | null }>(`/api/v1/tokens/${reader.id}`);
    expect(token.body.lastUsedAt).not.toBeNull();
  });

  it('a release names a generic version only when it exists', async () => {
    const admin = await login(server);
    const ok = await admin.post('/api/v1/releases', { name: 'tool', version: '1.0.0', artifacts: [{ type: 'generic', name: 'tool', version: '1.0.0' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const missing = await admin.post('/api/v1/releases', { name: 'tool', version: '9', artifacts: [{ type: 'generic', name: 'tool', version: '9.9.9' }] });
    expect(missing.status).toBe(400);
  });
});
