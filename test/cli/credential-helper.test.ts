import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Token, TokenList } from '../../src/api/answers.js';
import { login, type ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout } from '../oci/helpers/oci-layout.js';
import { skopeo } from '../oci/helpers/registry.js';
import { FreezableProxy } from '../support/freezable-proxy.js';

const HELPER_JS = new URL('../../dist/cli/credential-helper.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program as the CLI user would: their HOME and config dirs, and docker-credential-flyreg on PATH. */
function runAs(user: CliUser, bin: string, program: string, args: string[], stdin = '', env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      args,
      { env: { ...user.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ...env }, cwd: user.home, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

let server: TestServer;
let admin: ApiClient;
let registry: string;
const user = new CliUser();
const stranger = new CliUser();
let bin: string;
let layout: OciLayout;

beforeAll(async () => {
  server = await startServer();
  admin = await login(server);
  await user.login(server);
  registry = (await admin.get<{ docker: { registry: string } }>('/api/v1/endpoints')).body.docker.registry;
  layout = new OciLayout();
  const image = await layout.addImage({ layers: 1 });
  layout.tag(image, 'v1');
  const seed = await admin.createToken({ name: 'seed', permission: 'read-write' });
  const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `${seed.username}:${seed.token}`, `oci:${layout.dir}:v1`, `docker://${server.host}/team/app:v1`]);
  if (pushed.code !== 0) throw new Error(pushed.stderr);
  // What `npm install -g` links from package.json's bin: a docker-credential-flyreg on PATH.
  bin = join(user.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'docker-credential-flyreg'), `#!/bin/sh\nexec "${process.execPath}" "${HELPER_JS}" "$@"\n`);
  chmodSync(join(bin, 'docker-credential-flyreg'), 0o755);
});
afterAll(async () => {
  await server?.stop();
  user.remove();
  stranger.remove();
});

const helper = (who: CliUser, action: string, stdin: string) => runAs(who, bin, 'docker-credential-flyreg', [action], stdin);
const containersAuth = () => join(user.home, '.config', 'containers', 'auth.json');
const dockerConfig = () => join(user.dockerConfig, 'config.json');
const helperTokens = async () => (await admin.get<TokenList>('/api/v1/tokens')).body.tokens.filter((t) => t.credentialHelper);

describe('docker-credential-flyreg', () => {
  it('flyreg setup docker --helper registers the helper in config.json and the containers auth.json, with no secret', async () => {
    mkdirSync(user.dockerConfig, { recursive: true });
    writeFileSync(dockerConfig(), JSON.stringify({ auths: { [registry]: { auth: Buffer.from('old:flyr_secret').toString('base64') }, 'other.example.com': { auth: 'a2VlcA==' } } }));
    const setup = await user.run(['setup', 'docker', '--helper']);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`removed the stored credential for ${registry}`);
    for (const file of [dockerConfig(), containersAuth()]) {
      const written = JSON.parse(readFileSync(file, 'utf8')) as { credHelpers: Record<string, string>; auths?: Record<string, unknown> };
      expect(written.credHelpers).toEqual({ [registry]: 'flyreg' });
      expect(Object.keys(written.auths ?? {})).not.toContain(registry);
      expect(readFileSync(file, 'utf8')).not.toMatch(/flyr_/);
    }
    expect(JSON.parse(readFileSync(dockerConfig(), 'utf8')).auths).toEqual({ 'other.example.com': { auth: 'a2VlcA==' } });
  });

  it('skopeo pulls and pushes with only the helper configured', async () => {
    for (const authfile of [containersAuth(), dockerConfig()]) {
      const inspected = await runAs(user, bin, '/usr/bin/skopeo', ['--insecure-policy', 'inspect', '--tls-verify=false', '--authfile', authfile, `docker://${registry}/team/app:v1`]);
      expect(inspected.code, inspected.stderr).toBe(0);
    }
    const pulled = await runAs(user, bin, '/usr/bin/skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', '--authfile', containersAuth(), `docker://${registry}/team/app:v1`, `oci:${new OciLayout().dir}:v1`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const pushed = await runAs(user, bin, '/usr/bin/skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', '--authfile', containersAuth(), `oci:${layout.dir}:v1`, `docker://${registry}/team/app:helper`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    // Without the helper on PATH the same auth file gets nowhere: it holds no credential of its own.
    const bare = await skopeo(['inspect', '--tls-verify=false', '--authfile', containersAuth(), `docker://${registry}/team/app:v1`]);
    expect(bare.code).not.toBe(0);
  });

  it('podman pulls and pushes with only the helper configured', async () => {
    // Its own storage under the test's directory (vfs: no kernel overlay needed), no systemd, no events journal.
    const store = join(user.root, 'podman');
    const podman = (args: string[]) =>
      runAs(user, bin, 'podman', [
        '--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs',
        '--events-backend', 'file', '--cgroup-manager', 'cgroupfs', ...args,
      ]);
    const pulled = await podman(['pull', '--tls-verify=false', '--authfile', containersAuth(), `${registry}/team/app:v1`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const pushed = await podman(['push', '--tls-verify=false', '--authfile', containersAuth(), `${registry}/team/app:v1`, `docker://${registry}/team/app:podman`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const seen = await runAs(user, bin, '/usr/bin/skopeo', ['--insecure-policy', 'inspect', '--tls-verify=false', '--authfile', containersAuth(), `docker://${registry}/team/app:podman`]);
    expect(seen.code, seen.stderr).toBe(0);
  });

  it('get answers with one short-lived token, reused on the next get; list names the login; others get nothing', async () => {
    const first = await helper(user, 'get', `${registry}\n`);
    expect(first.code, first.stdout).toBe(0);
    const second = await helper(user, 'get', `https://${registry}`);
    const a = JSON.parse(first.stdout) as { ServerURL: string; Username: string; Secret: string };
    const b = JSON.parse(second.stdout) as { Secret: string };
    expect(a.Secret).toMatch(/^flyr_/);
    expect(b.Secret).toBe(a.Secret);
    const listed = await helperTokens();
    expect(listed).toHaveLength(1);
    const token = listed[0] as Token;
    expect(token).toMatchObject({ username: a.Username, permission: 'read-write', status: 'active', createdBy: 'admin' });
    const lifetime = new Date(token.expiresAt ?? 0).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(50 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    expect(JSON.parse((await helper(user, 'list', '')).stdout)).toEqual({ [new URL(server.url).host]: 'admin' });
    expect(await helper(user, 'store', JSON.stringify({ ServerURL: registry, Username: 'x', Secret: 'y' }))).toMatchObject({ code: 0 });
    expect(existsSync(join(user.configDir, 'credentials.json'))).toBe(true);
    expect(readFileSync(join(user.configDir, 'credentials.json'), 'utf8')).not.toContain(a.Secret);

    expect(await helper(user, 'get', 'registry.example.com')).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
    expect(await helper(stranger, 'get', registry)).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
  });

  it('logout revokes the helper token, which then disappears from the token list', async () => {
    const { Secret: secret, Username: username } = JSON.parse((await helper(user, 'get', registry)).stdout) as { Secret: string; Username: string };
    const [token] = await helperTokens();
    const out = await user.run(['logout']);
    expect(out.code, out.stderr).toBe(0);
    expect((await admin.get<Token>(`/api/v1/tokens/${token?.id}`)).body.status).toBe('revoked');
    expect(await helperTokens()).toEqual([]);
    const refused = await skopeo(['inspect', '--tls-verify=false', '--creds', `${username}:${secret}`, `docker://${registry}/team/app:v1`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/revoked/);
    expect(await helper(user, 'get', registry)).toMatchObject({ code: 1, stdout: 'credentials not found in native keychain\n' });
  });

  it('gives up on a registry that accepts and never answers, with a one-line reason, instead of hanging docker', async () => {
    const front = await FreezableProxy.inFrontOf(server.url, 80);
    const distant = new CliUser();
    try {
      await distant.login({ ...server, url: front.url.replace(/\/$/, '') });
      const host = new URL(front.url).host;
      front.proxy.freeze();
      const helperRun = (who: CliUser) => runAs(who, bin, 'docker-credential-flyreg', ['get'], host, { FLYREG_TIMEOUT: '1' });
      expect(await helperRun(distant)).toMatchObject({ code: 1, stdout: `cannot reach http://${host}: no answer within 1 s\n` });
      const listed = await distant.run(['token', 'list'], { env: { FLYREG_TIMEOUT: '1' } });
      expect(listed.code).toBe(1);
      expect(listed.stderr).toContain(`cannot reach http://${host}: no answer within 1 s`);
      front.proxy.thaw();
      const answered = await helperRun(distant);
      expect(answered.code, answered.stdout).toBe(0);
      expect(JSON.parse(answered.stdout)).toMatchObject({ ServerURL: host });
    } finally {
      front.proxy.thaw();
      await distant.run(['logout']);
      await front.proxy.close();
      distant.remove();
    }
  });
});
