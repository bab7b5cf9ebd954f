import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, Token } from '../../src/api/answers.js';
import { ApiClient, login } from '../helpers/api.js';
import { runTool } from '../helpers/run-tool.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A key pair standing in for GitHub's: the server trusts its public half under KEY_ID. */
const KEY_ID = 'test-key-1';
const trusted = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const keysDocument = JSON.stringify({
  public_keys: [{ key_identifier: KEY_ID, key: trusted.publicKey.export({ type: 'spki', format: 'pem' }), is_current: true }],
});

const signed = (body: string, key: KeyObject) => sign('sha256', Buffer.from(body), key).toString('base64');

describe('leak reports', () => {
  let server: TestServer;
  let admin: ApiClient;
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'fly-leak-'));
    const keysFile = join(home, 'secret-scanning-keys.json');
    writeFileSync(keysFile, keysDocument);
    server = await startServer({ env: { FLY_SECRET_SCANNING_KEYS: keysFile } });
    admin = await login(server);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const report = (body: string, headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/secret-scanning/github`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  const statusOf = async (id: string) => (await admin.get<Token>(`/api/v1/tokens/${id}`)).body.status;

  /** npm itself, with the token in a private .npmrc: exit code and output. */
  const npmWhoami = async (secret: string) => {
    const userconfig = join(home, `npmrc-${secret.slice(-6)}`);
    const registry = `${server.url}/npm/`;
    writeFileSync(userconfig, `registry=${registry}\n//${server.host}/npm/:_authToken=${secret}\n`);
    return runTool('npm', ['whoami', '--registry', registry, '--userconfig', userconfig], {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, npm_config_cache: join(home, 'npm-cache') },
      timeoutMs: 120_000,
    });
  };

  it('a report signed with a listed key revokes the token at once; npm then gets 401; GitHub gets its verdicts', async () => {
    const token = await admin.createToken({ name: 'pasted in a gist', permission: 'read-write' });
    expect((await npmWhoami(token.token)).code).toBe(0);

    const body = JSON.stringify([
      { token: token.token, type: 'fly_registry_token', url: 'https://github.com/acme/app/blob/abc/.npmrc', source: 'content' },
      { token: 'flyr_notARealTokenAtAllButShapedLikeOne00', type: 'fly_registry_token', url: 'https://github.com/acme/app/blob/abc/x', source: 'content' },
    ]);
    const res = await report(body, { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signed(body, trusted.privateKey) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { token_raw: token.token, token_type: 'fly_registry_token', label: 'true_positive' },
      { token_raw: 'flyr_notARealTokenAtAllButShapedLikeOne00', token_type: 'fly_registry_token', label: 'false_positive' },
    ]);

    expect(await statusOf(token.id)).toBe('revoked');
    const npm = await npmWhoami(token.token);
    expect(npm.code).not.toBe(0);
    expect(npm.output).toMatch(/E401|401/);

    const audit = await admin.get<AuditPage>('/api/v1/audit?limit=20');
    const revoked = audit.body.events.find((e) => e.action === 'token.revoked' && e.target.id === token.id);
    expect(revoked?.actor).toBe('secret-scanning');
    expect(revoked?.details).toMatchObject({ reason: 'leaked', url: 'https://github.com/acme/app/blob/abc/.npmrc' });
    // The secret itself is in no audit record.
    expect(JSON.stringify(audit.body)).not.toContain(token.token);
  });

  it('a report with a bad signature, an unknown key or no signature changes nothing', async () => {
    const token = await admin.createToken({ name: 'still fine', permission: 'read-only' });
    const body = JSON.stringify([{ token: token.token, type: 'fly_registry_token', url: 'https://github.com/x/y', source: 'content' }]);
    const attempts: Record<string, string>[] = [
      { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signed(body, stranger.privateKey) },
      { 'Github-Public-Key-Identifier': 'not-a-key', 'Github-Public-Key-Signature': signed(body, trusted.privateKey) },
      { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signed(`${body} `, trusted.privateKey) },
      { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJl' },
      {},
    ];
    for (const headers of attempts) {
      const res = await report(body, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
    expect(await statusOf(token.id)).toBe('active');
    expect((await npmWhoami(token.token)).code).toBe(0);
  });

  it('refuses an oversized report and a list longer than the bound, before revoking anything', async () => {
    const token = await admin.createToken({ name: 'in a long list', permission: 'read-only' });
    const many = JSON.stringify(Array.from({ length: 1001 }, () => ({ token: token.token, type: 't', url: 'u', source: 's' })));
    const tooMany = await report(many, { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signed(many, trusted.privateKey) });
    expect(tooMany.status).toBe(400);
    const huge = JSON.stringify([{ token: 'x'.repeat(2 * 1024 * 1024), type: 't' }]);
    const tooBig = await report(huge, { 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signed(huge, trusted.privateKey) });
    expect(tooBig.status).toBe(413);
    expect(await statusOf(token.id)).toBe('active');
  });

  it('report-leak revokes without a credential and answers the same for any secret', async () => {
    const token = await admin.createToken({ name: 'pasted in chat', permission: 'read-write' });
    const anonymous = new ApiClient(server);
    const real = await anonymous.post('/api/v1/tokens/report-leak', { token: token.token });
    const unknown = await anonymous.post('/api/v1/tokens/report-leak', { token: 'flyr_0000000000000000000000000000000000000' });
    const again = await anonymous.post('/api/v1/tokens/report-leak', { token: token.token });
    expect(real.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(again.status).toBe(202);
    expect(unknown.body).toEqual(real.body);
    expect(again.body).toEqual(real.body);
    expect(await statusOf(token.id)).toBe('revoked');
    const npm = await npmWhoami(token.token);
    expect(npm.code).not.toBe(0);
  });

  it('report-leak is rate-limited per address: past the limit, 429 with Retry-After and nothing revoked', async () => {
    const token = await admin.createToken({ name: 'reported too late', permission: 'read-only' });
    const anonymous = new ApiClient(server);
    // The default limit is 20 per window; this file already sent 3 reports from this address.
    let last = await anonymous.post('/api/v1/tokens/report-leak', { token: 'flyr_0000000000000000000000000000000000000' });
    for (let i = 0; i < 25 && last.status === 202; i++) {
      last = await anonymous.post('/api/v1/tokens/report-leak', { token: 'flyr_0000000000000000000000000000000000000' });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await anonymous.post('/api/v1/tokens/report-leak', { token: token.token })).status).toBe(429);
    expect(await statusOf(token.id)).toBe('active');
  });
});
