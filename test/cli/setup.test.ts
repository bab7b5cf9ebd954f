import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, login } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface SetupJson {
  tool: string;
  path: string;
  written: boolean;
  token: { id: string; name: string; username: string; permission: string; created: boolean } | null;
  notes: string[];
  fragment?: string;
}

let server: TestServer;
let api: ApiClient;
const machine = hostname().split('.')[0];

beforeAll(async () => {
  server = await startServer();
  api = await login(server);
});
afterAll(async () => {
  await server?.stop();
});

/** What the API says a credential is, proving the written configuration really authenticates. */
async function whoamiWith(authorization: string): Promise<{ status: number; body: { kind?: string; token?: { username: string; permission: string } } }> {
  const res = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization } });
  return { status: res.status, body: (await res.json()) as { kind?: string; token?: { username: string; permission: string } } };
}

async function withUser(body: (user: CliUser) => Promise<void>): Promise<void> {
  const user = new CliUser();
  try {
    await user.login(server);
    await body(user);
  } finally {
    user.remove();
  }
}

describe('flyreg setup', () => {
  it('docker: adds an auths entry for this registry and keeps every other entry and setting', () =>
    withUser(async (user) => {
      mkdirSync(user.dockerConfig, { recursive: true });
      const seeded = {
        auths: { 'ghcr.io': { auth: Buffer.from('someone:ghp_keep').toString('base64') } },
        credHelpers: { 'gcr.io': 'gcloud' },
        psFormat: 'table {{.ID}}',
      };
      writeFileSync(join(user.dockerConfig, 'config.json'), JSON.stringify(seeded));

      const [result] = await user.json<SetupJson[]>(['setup', 'docker']);
      expect(result).toMatchObject({ tool: 'docker', written: true, token: { name: `${machine}-docker`, permission: 'read-write', created: true } });
      expect(result?.path).toBe(join(user.dockerConfig, 'config.json'));

      const config = JSON.parse(readFileSync(join(user.dockerConfig, 'config.json'), 'utf8')) as {
        auths: Record<string, { auth: string }>;
        credHelpers: unknown;
        psFormat: unknown;
      };
      expect(config.auths['ghcr.io']).toEqual(seeded.auths['ghcr.io']);
      expect(config.credHelpers).toEqual(seeded.credHelpers);
      expect(config.psFormat).toBe(seeded.psFormat);
      const endpoints = (await api.get<{ docker: { registry: string } }>('/api/v1/endpoints')).body;
      const entry = config.auths[endpoints.docker.registry];
      expect(entry).toBeDefined();
      const who = await whoamiWith(`Basic ${entry?.auth}`);
      expect(who).toMatchObject({ status: 200, body: { kind: 'token', token: { username: result?.token?.username, permission: 'read-write' } } });
      expect(statSync(join(user.dockerConfig, 'config.json')).mode & 0o777).toBe(0o600);
    }));

  it('docker: leaves a config.json it cannot read untouched and creates no token', () =>
    withUser(async (user) => {
      mkdirSync(user.dockerConfig, { recursive: true });
      writeFileSync(join(user.dockerConfig, 'config.json'), '{ not json');
      const before = (await api.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length;
      const result = await user.run(['setup', 'docker']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^flyreg: Docker config\.json is not valid JSON: .*\n$/);
      expect(readFileSync(join(user.dockerConfig, 'config.json'), 'utf8')).toBe('{ not json');
      expect((await api.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length).toBe(before);
    }));

  it("npm: writes the user's .npmrc, replacing only this registry's lines", () =>
    withUser(async (user) => {
      const endpoints = (await api.get<{ npm: { registry: string; authKey: string } }>('/api/v1/endpoints')).body;
      const npmrc = join(user.home, '.npmrc');
      writeFileSync(
        npmrc,
        [
          '; my settings',
          'save-exact=true',
          'registry=https://registry.npmjs.org/',
          '@acme:registry=https://npm.acme.example/',
          '//npm.acme.example/:_authToken=acme-keep',
          `${endpoints.npm.authKey}:_authToken=flyr_stale_from_before`,
          '',
        ].join('\n'),
      );
      const [result] = await user.json<SetupJson[]>(['setup', 'npm']);
      expect(result).toMatchObject({ path: npmrc, token: { name: `${machine}-npm`, created: true } });
      expect(result?.notes).toEqual([`replaced the default registry https://registry.npmjs.org/ with ${endpoints.npm.registry}`]);

      const lines = readFileSync(npmrc, 'utf8').split('\n');
      expect(lines).toContain('; my settings');
      expect(lines).toContain('save-exact=true');
      expect(lines).toContain('@acme:registry=https://npm.acme.example/');
      expect(lines).toContain('//npm.acme.example/:_authToken=acme-keep');
      expect(lines).toContain(`registry=${endpoints.npm.registry}`);
      expect(lines.filter((l) => l.startsWith('registry='))).toHaveLength(1);
      const auth = lines.filter((l) => l.startsWith(`${endpoints.npm.authKey}:`));
      // The token and always-auth (for Yarn 1), once each.
      expect(auth).toEqual([expect.stringContaining(':_authToken=flyr_'), `${endpoints.npm.authKey}:always-auth=true`]);
      const secret = auth[0]?.split('_authToken=')[1] ?? '';
      expect(secret).toMatch(/^flyr_/);
      expect((await whoamiWith(`Bearer ${secret}`)).body.token?.username).toBe(result?.token?.username);
    }));

  it("npm --project: writes the project's .npmrc and leaves the user's alone", () =>
    withUser(async (user) => {
      const project = join(user.root, 'project');
      mkdirSync(project);
      writeFileSync(join(project, '.npmrc'), 'engine-strict=true\n');
      const [result] = await user.json<SetupJson[]>(['setup', 'npm', '--project', 'project'], { cwd: user.root });
      expect(result?.path).toBe(join(project, '.npmrc'));
      const text = readFileSync(join(project, '.npmrc'), 'utf8');
      expect(text.startsWith('engine-strict=true\n')).toBe(true);
      expect(text).toContain(':_authToken=flyr_');
      expect(existsSync(join(user.home, '.npmrc'))).toBe(false);

      const missing = await user.run(['setup', 'npm', '--project', join(user.root, 'nope')]);
      expect(missing).toMatchObject({ code: 1, stderr: `flyreg: project directory ${join(user.root, 'nope')} does not exist\n` });
    }));

  it('pip: sets [global] index-url and keeps the other sections and keys (PIP_CONFIG_FILE respected)', () =>
    withUser(async (user) => {
      const pipConf = join(user.root, 'custom-pip.conf');
      writeFileSync(
        pipConf,
        ['[global]', 'timeout = 60', 'index-url = https://pypi.org/simple', '    https://continuation.example/', '', '[install]', 'no-warn-script-location = true', ''].join('\n'),
      );
      const result = await user.run(['setup', 'pip', '--json'], { env: { PIP_CONFIG_FILE: pipConf } });
      expect(result.code, result.stderr).toBe(0);
      const text = readFileSync(pipConf, 'utf8');
      expect(text).toContain('timeout = 60');
      expect(text).toContain('[install]\nno-warn-script-location = true');
      expect(text).not.toContain('pypi.org');
      expect(text).not.toContain('continuation.example');
      const indexLine = text.split('\n').find((l) => l.startsWith('index-url = '));
      const index = new URL(indexLine?.slice('index-url = '.length) ?? '');
      expect(text.indexOf('index-url')).toBeLessThan(text.indexOf('[install]'));
      const basic = Buffer.from(`${decodeURIComponent(index.username)}:${index.password}`).toString('base64');
      expect((await whoamiWith(`Basic ${basic}`)).status).toBe(200);
    }));

  it('pip: creates ~/.config/pip/pip.conf when there is none', () =>
    withUser(async (user) => {
      const [result] = await user.json<SetupJson[]>(['setup', 'pip']);
      expect(result?.path).toBe(join(user.home, '.config', 'pip', 'pip.conf'));
      expect(readFileSync(result?.path ?? '', 'utf8')).toMatch(/^\[global\]\nindex-url = http:\/\/[^:]+:flyr_\w+@.+\/simple\n$/);
    }));

  it('--print writes nothing; --token uses the given token and creates none', () =>
    withUser(async (user) => {
      const existing = await api.createToken({ name: 'given', permission: 'read-only' });
      const before = (await api.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length;
      const results = await user.json<SetupJson[]>(['setup', 'all', '--print', '--token', existing.token]);
      expect(results.map((r) => r.tool)).toEqual(['docker', 'npm', 'pip', 'maven', 'curl', 'go', 'helm', 'cargo']);
      for (const r of results) {
        expect(r).toMatchObject({ written: false, token: { id: existing.id, created: false, username: existing.username } });
        expect(existsSync(r.path)).toBe(false);
      }
      expect(results[1]?.fragment).toContain(`:_authToken=${existing.token}`);
      expect((await api.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length).toBe(before);

      // --print without --token creates nothing at all: the fragment marks where a token goes.
      const [preview] = await user.json<SetupJson[]>(['setup', 'npm', '--print']);
      expect(preview).toMatchObject({ written: false, token: null });
      expect(preview?.fragment).toContain(':_authToken=<token>');
      expect((await api.get<{ tokens: unknown[] }>('/api/v1/tokens')).body.tokens.length).toBe(before);

      await api.post(`/api/v1/tokens/${existing.id}/revoke`);
      const revoked = await user.run(['setup', 'npm', '--token', existing.token]);
      expect(revoked.code).toBe(1);
      expect(revoked.stderr).toMatch(/^flyreg: Token was revoked at .*\n$/);
    }));
});
