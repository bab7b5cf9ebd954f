import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotatedToken, Token } from '../../src/api/answers.js';
import { createUser, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { pushImage } from '../oci/helpers/push.js';
import { creds, skopeo } from '../oci/helpers/registry.js';

/** Long enough for every client run below to finish inside it on a busy machine; the test then waits it out. */
const OVERLAP_SECONDS = 20;

/**
 * Rotation with overlap (issue 18) with the real clients: a token's new secret and the one it replaced both
 * work with skopeo and npm during the overlap, the old one is refused (401) on the next request after it,
 * and the dashboard's data (GET /tokens) shows whether the old secret is still in use.
 */
describe('token rotation with overlap, with skopeo and npm', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sandbox: NpmSandbox;
  let token: CreatedToken;
  let rotated: RotatedToken;
  let rotatedAt: number;

  const image = () => `docker://${server.host}/team/rotate:v1`;
  const inspect = (t: { username: string; token: string }) =>
    skopeo(['inspect', '--tls-verify=false', '--creds', creds(t as CreatedToken), image()]);
  const npmInstall = async (npmrc: string) => {
    const project = sandbox.project(npmrc, { 'package.json': { name: 'consumer', version: '1.0.0', private: true, dependencies: { 'fly-rotate-lib': '1.0.0' } } });
    return sandbox.run(project, ['install'], { cache: sandbox.freshCache() });
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    sandbox = new NpmSandbox();
    token = await admin.createToken({ name: 'CI rotate', permission: 'read-write', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() });
    await pushImage(server, token, 'team/rotate', 'v1');
    const dir = sandbox.project(token.snippets.npmrc, { 'package.json': { name: 'fly-rotate-lib', version: '1.0.0', main: 'index.js' }, 'index.js': 'module.exports = 1;\n' });
    const published = await sandbox.run(dir, ['publish']);
    expect(published.code, published.output).toBe(0);
  });
  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  it('refuses bad overlap input with 400 and names the field', async () => {
    for (const overlapSeconds of [-1, 1.5, '3600', 2_592_001, null]) {
      const res = await admin.post<{ error: { code: string; message: string } }>(`/api/v1/tokens/${token.id}/rotate`, { overlapSeconds });
      expect(res.status, JSON.stringify(overlapSeconds)).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(res.body.error.message).toContain('overlapSeconds');
    }
    const unknownField = await admin.post<{ error: { message: string } }>(`/api/v1/tokens/${token.id}/rotate`, { overlap: 60 });
    expect(unknownField.status).toBe(400);
    const notJson = await admin.request('POST', `/api/v1/tokens/${token.id}/rotate`, '{"overlapSeconds":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    // Nothing changed: the secret still works and no rotation was recorded.
    expect((await inspect(token)).code).toBe(0);
    const audit = await admin.get<{ events: { action: string }[] }>('/api/v1/audit?limit=20');
    expect(audit.body.events.some((e) => e.action === 'token.rotated')).toBe(false);
  });

  it('rotates: a new secret for the same identity, shown once with refreshed snippets; the expiry keeps its length', async () => {
    const before = (await admin.get<Token>(`/api/v1/tokens/${token.id}`)).body;
    rotatedAt = Date.now();
    const res = await admin.post<RotatedToken>(`/api/v1/tokens/${token.id}/rotate`, { overlapSeconds: OVERLAP_SECONDS });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    rotated = res.body;
    expect(rotated).toMatchObject({ id: token.id, name: 'CI rotate', username: token.username, permission: 'read-write', status: 'active' });
    expect(rotated.token).toMatch(/^flyr_[0-9A-Za-z]{38}$/);
    expect(rotated.token).not.toBe(token.token);
    expect(rotated.snippets.npmrc).toContain(`:_authToken=${rotated.token}`);
    expect(rotated.snippets.npmrc).not.toContain(token.token);
    expect(rotated.snippets.kubernetes.manifest).toContain('.dockerconfigjson');
    // 90 days again from the rotation, and the old secret retires at the end of the overlap.
    const lifetime = Date.parse(before.expiresAt as string) - Date.parse(before.createdAt);
    expect(Math.abs(Date.parse(rotated.expiresAt as string) - (rotatedAt + lifetime))).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(rotated.previousSecretRetiresAt) - (rotatedAt + OVERLAP_SECONDS * 1000))).toBeLessThan(10_000);
    // The secret is never shown again.
    const shown = await admin.get(`/api/v1/tokens/${token.id}`);
    expect(JSON.stringify(shown.body)).not.toContain(rotated.token);
    const audit = await admin.get<{ events: { action: string; target: { id: string }; details: Record<string, unknown> }[] }>('/api/v1/audit?limit=5');
    const event = audit.body.events.find((e) => e.action === 'token.rotated');
    expect(event).toMatchObject({ target: { id: token.id }, details: { overlapSeconds: OVERLAP_SECONDS } });
    expect(JSON.stringify(audit.body)).not.toContain(rotated.token);
  });

  it('during the overlap both secrets work with skopeo and npm; npm tells the old secret’s user it is replaced', async () => {
    for (const secret of [token, rotated]) {
      const result = await inspect(secret);
      expect(result.code, result.stderr).toBe(0);
    }
    const withNew = await npmInstall(rotated.snippets.npmrc);
    expect(withNew.code, withNew.output).toBe(0);
    const withOld = await npmInstall(token.snippets.npmrc);
    expect(withOld.code, withOld.output).toBe(0);
    expect(withOld.output).toMatch(/npm notice Fly Registry: this secret of token \S+ was replaced by a rotation and stops working in \d+ (seconds?|minutes?)/);
    expect(withNew.output).not.toContain('was replaced by a rotation');
    expect(Date.now() - rotatedAt, 'the clients outran the overlap: raise OVERLAP_SECONDS').toBeLessThan(OVERLAP_SECONDS * 1000);
  });

  it('the token answer shows the old secret is still in use (usage tracked per secret)', async () => {
    let previous: Token['previousSecret'] = null;
    for (let waited = 0; waited < 10_000; waited += 200) {
      previous = (await admin.get<Token>(`/api/v1/tokens/${token.id}`)).body.previousSecret;
      if (previous?.usedSinceRotation) break;
      await sleep(200);
    }
    expect(previous).toMatchObject({ usedSinceRotation: true, retiresAt: rotated.previousSecretRetiresAt });
    const listed = await admin.get<{ tokens: Token[] }>('/api/v1/tokens');
    expect(listed.body.tokens.find((t) => t.id === token.id)?.previousSecret?.usedSinceRotation).toBe(true);
  });

  it('after the overlap the old secret gets 401 from skopeo and npm on the next request; the new one still works', async () => {
    const wait = Date.parse(rotated.previousSecretRetiresAt) - Date.now();
    if (wait > 0) await sleep(wait + 100);
    const old = await inspect(token);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/401|unauthorized/i);
    const oldNpm = await npmInstall(token.snippets.npmrc);
    expect(oldNpm.code).not.toBe(0);
    expect(oldNpm.output).toMatch(/E401|401 Unauthorized/);
    const direct = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as { error: { code: string } }).error.code).toBe('token_revoked');
    expect((await inspect(rotated)).code).toBe(0);
    expect((await npmInstall(rotated.snippets.npmrc)).code).toBe(0);
    expect((await admin.get<Token>(`/api/v1/tokens/${token.id}`)).body.previousSecret).toBeNull();
  });

  it('overlap 0 stops the old secret at once; revoked tokens cannot be rotated; developers rotate only their own', async () => {
    const quick = await admin.createToken({ name: 'rotate now', permission: 'read-only' });
    expect((await inspect(quick)).code).toBe(0);
    const now = await admin.post<RotatedToken>(`/api/v1/tokens/${quick.id}/rotate`, { overlapSeconds: 0 });
    expect(now.status).toBe(200);
    expect(now.body.expiresAt).toBeNull();
    const refused = await inspect(quick);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|unauthorized/i);
    expect((await inspect({ username: quick.username, token: now.body.token })).code).toBe(0);

    expect((await admin.post(`/api/v1/tokens/${quick.id}/revoke`)).status).toBe(200);
    const revoked = await admin.post<{ error: { code: string } }>(`/api/v1/tokens/${quick.id}/rotate`, {});
    expect(revoked.status).toBe(409);

    const developer = await createUser(admin, 'dev-rotate');
    const mine = await developer.createToken({ name: 'mine', permission: 'read-only' });
    expect((await developer.post(`/api/v1/tokens/${mine.id}/rotate`)).status).toBe(200);
    expect((await developer.post(`/api/v1/tokens/${rotated.id}/rotate`, { overlapSeconds: 60 })).status).toBe(403);
    // A registry token cannot rotate tokens (management is for people).
    const viaToken = await fetch(`${server.url}/api/v1/tokens/${rotated.id}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${rotated.token}` } });
    expect(viaToken.status).toBe(403);
  });
});
