import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Token, Whoami } from '../../src/api/answers.js';
import { CliUser } from '../helpers/cli.js';
import { runTool } from '../helpers/run-tool.js';
import { goTool } from '../helpers/tools.js';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, creds, reg, skopeo } from '../oci/helpers/registry.js';

const DAY = 86_400_000;
/** Configured above the default 7 days, so a token expiring in 9 days shows the setting is read. */
const WARNING_DAYS = 10;

/**
 * Expiry warnings where people look (issue 18): the API's `expiringSoon`, `flyreg whoami`, and the registry
 * clients themselves: npm prints the `npm-notice` header, crane prints the OCI `Warning: 299` header (skopeo
 * 1.9 does not print it: the test reads the header skopeo's requests get).
 */
describe('expiry warnings in the API, flyreg and the registry clients', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sandbox: NpmSandbox;
  let soon: CreatedToken;
  let nineDays: CreatedToken;
  let later: CreatedToken;
  let never: CreatedToken;
  let work: string;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_TOKEN_EXPIRY_WARNING_DAYS: String(WARNING_DAYS) } });
    admin = await login(server);
    sandbox = new NpmSandbox();
    work = mkdtempSync(join(tmpdir(), 'flyreg-expiry-'));
    const inDays = (days: number) => new Date(Date.now() + days * DAY + 2 * 3_600_000).toISOString();
    soon = await admin.createToken({ name: 'expiring CI', permission: 'read-write', expiresAt: inDays(3) });
    nineDays = await admin.createToken({ name: 'nine days', permission: 'read-only', expiresAt: inDays(9) });
    later = await admin.createToken({ name: 'later', permission: 'read-only', expiresAt: inDays(30) });
    never = await admin.createToken({ name: 'forever', permission: 'read-write', expiresAt: null });
    await pushImage(server, never, 'team/expiry', 'v1');
    const dir = sandbox.project(never.snippets.npmrc, { 'package.json': { name: 'fly-expiry-lib', version: '1.0.0', main: 'index.js' }, 'index.js': '1;\n' });
    const published = await sandbox.run(dir, ['publish']);
    expect(published.code, published.output).toBe(0);
  });
  afterAll(async () => {
    sandbox?.remove();
    rmSync(work ?? '', { recursive: true, force: true });
    await server?.stop();
  });

  const link = (t: CreatedToken) => `${new URL('/tokens', `http://localhost:${server.port}`).href}?token=${t.id}`;

  it('the API marks tokens expiring within FLY_TOKEN_EXPIRY_WARNING_DAYS, in lists and for whoami', async () => {
    const listed = (await admin.get<{ tokens: Token[] }>('/api/v1/tokens')).body.tokens;
    const flag = (t: CreatedToken) => listed.find((x) => x.id === t.id)?.expiringSoon;
    expect([flag(soon), flag(nineDays), flag(later), flag(never)]).toEqual([true, true, false, false]);
    expect(soon.expiringSoon).toBe(true);
    const who = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${soon.token}` } });
    expect(((await who.json()) as Whoami).token).toMatchObject({ id: soon.id, expiringSoon: true, expiresAt: soon.expiresAt, secretRetiresAt: null });
    const forever = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${never.token}` } });
    expect(((await forever.json()) as Whoami).token).toMatchObject({ expiringSoon: false, expiresAt: null });
  });

  it('npm install prints the server’s npm-notice with the time left and the dashboard link', async () => {
    const project = sandbox.project(soon.snippets.npmrc, { 'package.json': { name: 'c', version: '1.0.0', private: true, dependencies: { 'fly-expiry-lib': '1.0.0' } } });
    const result = await sandbox.run(project, ['install'], { cache: sandbox.freshCache() });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`npm notice Fly Registry: token ${soon.username} expires in 3 days - rotate it at ${link(soon)}`);
    // A token far from its expiry gets no notice.
    const quiet = sandbox.project(later.snippets.npmrc, { 'package.json': { name: 'c', version: '1.0.0', private: true, dependencies: { 'fly-expiry-lib': '1.0.0' } } });
    const calm = await sandbox.run(quiet, ['install'], { cache: sandbox.freshCache() });
    expect(calm.code, calm.output).toBe(0);
    expect(calm.output).not.toContain('npm notice Fly Registry');
  });

  it('OCI answers carry Warning: 299, which crane prints; skopeo pulls fine (it does not print the header)', async () => {
    const expected = `Fly Registry: token ${soon.username} expires in 3 days - rotate it at ${link(soon)}`;
    // The requests skopeo makes: the /v2/ check and the token endpoint with Basic, then manifests.
    for (const path of ['/v2/', '/v2/team/expiry/manifests/v1']) {
      const res = await reg(server, path, { auth: basic(soon), headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('warning')).toBe(`299 - "${expected}"`);
    }
    expect((await reg(server, '/v2/', { auth: basic(later) })).headers.get('warning')).toBeNull();
    const inspected = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(soon), `docker://${server.host}/team/expiry:v1`]);
    expect(inspected.code, inspected.stderr).toBe(0);

    const home = mkdtempSync(join(work, 'crane-'));
    const env = { PATH: process.env.PATH ?? '', HOME: home, DOCKER_CONFIG: join(home, '.docker') };
    const crane = goTool('crane');
    expect((await runTool(crane, ['auth', 'login', server.host, '-u', soon.username, '-p', soon.token], { cwd: work, env })).code).toBe(0);
    const digest = await runTool(crane, ['digest', '--insecure', `${server.host}/team/expiry:v1`], { cwd: work, env });
    expect(digest.code, digest.output).toBe(0);
    expect(digest.stderr).toContain(expected);
  });

  it('the other protocols’ answers carry the same Warning header (their clients do not print it)', async () => {
    const expected = `299 - "Fly Registry: token ${soon.username} expires in 3 days - rotate it at ${link(soon)}"`;
    for (const path of ['/pypi/simple/', '/maven/', '/generic/', '/helm/index.yaml', '/go/example.com/none/@v/list', '/cargo/index/config.json']) {
      const res = await reg(server, path, { auth: basic(soon) });
      expect(res.headers.get('warning'), `${path} → ${res.status}`).toBe(expected);
      expect(res.headers.get('npm-notice'), path).toBeNull();
    }
    // npm gets its own header only: npm reads a Warning header as a cache warning about the registry.
    const npm = await reg(server, '/npm/fly-expiry-lib', { auth: basic(soon) });
    expect(npm.headers.get('warning')).toBeNull();
    expect(npm.headers.get('npm-notice')).toContain(`token ${soon.username} expires in 3 days`);
  });

  it('flyreg whoami lists the tokens of the user that expire soon', async () => {
    const user = new CliUser();
    try {
      await user.login(server);
      const who = await user.run(['whoami']);
      expect(who.code, who.stderr).toBe(0);
      expect(who.stdout).toContain(`Expiring soon: token expiring CI (${soon.username})`);
      expect(who.stdout).toContain(`flyreg token rotate ${soon.id}`);
      expect(who.stdout).not.toContain(later.username);
      const json = await user.json<{ expiringSoon: { id: string }[] }>(['whoami']);
      expect(json.expiringSoon.map((t) => t.id).sort()).toEqual([soon.id, nineDays.id].sort());
    } finally {
      user.remove();
    }
  });
});
