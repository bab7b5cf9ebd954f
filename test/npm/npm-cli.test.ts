import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox, registryLineOf, sha512Integrity } from './npm-cli.js';

/**
 * The real npm CLI against a real server, each project configured only by the .npmrc snippet a token
 * comes with: publish with a read & write token, install with a read-only one, and every failure npm
 * users will meet (read-only, revoked, expired, republish).
 */
describe('npm CLI against the registry', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sandbox: NpmSandbox;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let writerProject: string;
  let readerProject: string;
  const packed: Record<string, string> = {};

  /** `npm pack` a package in its own directory and return the tarball path. */
  async function pack(name: string, manifest: object, files: Record<string, string>): Promise<string> {
    const dir = sandbox.project('', { 'package.json': { name, ...manifest }, ...files });
    const result = await sandbox.run(dir, ['pack', '--json']);
    expect(result.code, result.output).toBe(0);
    const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
    return join(dir, filename);
  }

  async function tokenStatus(id: string): Promise<{ status: string; permission: string; name: string } | undefined> {
    const res = await admin.get<{ tokens: { id: string; status: string; permission: string; name: string }[] }>('/api/v1/tokens');
    return res.body.tokens.find((t) => t.id === id);
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    sandbox = new NpmSandbox();
    writer = await admin.createToken({ name: 'CI publish', permission: 'read-write' });
    reader = await admin.createToken({ name: 'Deploy install', permission: 'read-only' });
    writerProject = sandbox.project(writer.snippets.npmrc);
    readerProject = sandbox.project(reader.snippets.npmrc);
    packed.leftPad = await pack('fly-left-pad', { version: '1.0.0', description: 'pads', main: 'index.js' }, {
      'index.js': "module.exports = (s, n) => String(s).padStart(n, ' ');\n",
    });
    packed.app = await pack('@fly/app', { version: '1.0.0', main: 'index.js', dependencies: { 'fly-left-pad': '^1.0.0' } }, {
      'index.js': "module.exports = () => require('fly-left-pad')('fly', 6);\n",
    });
  });

  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  it('the snippet configures npm with the registry and the token', () => {
    expect(writer.snippets.npmrc).toContain(`registry=http://localhost:${server.port}/artifactory/api/npm/npm/`);
    expect(writer.snippets.npmrc).toContain(`//localhost:${server.port}/artifactory/api/npm/npm/:_authToken=${writer.token}`);
  });

  it('publishes an unscoped and a scoped package with a read & write token', async () => {
    const left = await sandbox.run(writerProject, ['publish', packed.leftPad as string]);
    expect(left.code, left.output).toBe(0);
    expect(left.output).toContain('+ fly-left-pad@1.0.0');
    const app = await sandbox.run(writerProject, ['publish', packed.app as string]);
    expect(app.code, app.output).toBe(0);
    expect(app.output).toContain('+ @fly/app@1.0.0');
  });

  it('installs both in a fresh project with a read-only token; the lockfile records the published integrity', async () => {
    const consumer = sandbox.project(reader.snippets.npmrc, {
      'package.json': { name: 'consumer', version: '1.0.0', private: true, dependencies: { '@fly/app': '^1.0.0', 'fly-left-pad': '1.0.0' } },
    });
    const result = await sandbox.run(consumer, ['install'], { cache: sandbox.freshCache() });
    expect(result.code, result.output).toBe(0);
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; integrity?: string }>;
    };
    const base = `http://localhost:${server.port}/artifactory/api/npm/npm`;
    expect(lock.packages['node_modules/fly-left-pad']).toMatchObject({
      resolved: `${base}/fly-left-pad/-/fly-left-pad-1.0.0.tgz`,
      integrity: sha512Integrity(packed.leftPad as string),
    });
    expect(lock.packages['node_modules/@fly/app']).toMatchObject({
      resolved: `${base}/@fly/app/-/app-1.0.0.tgz`,
      integrity: sha512Integrity(packed.app as string),
    });
    const out = execFileSync(process.execPath, ['-e', "process.stdout.write(require('@fly/app')())"], { cwd: consumer }).toString();
    expect(out).toBe('   fly');

    // The tarball served is byte for byte the one published.
    const tarball = await fetch(`${base}/fly-left-pad/-/fly-left-pad-1.0.0.tgz`, { headers: { authorization: `Bearer ${reader.token}` } });
    expect(tarball.status).toBe(200);
    expect(Buffer.from(await tarball.arrayBuffer()).equals(readFileSync(packed.leftPad as string))).toBe(true);
  });

  it('npm view shows the package, its dist-tags and time', async () => {
    const result = await sandbox.run(readerProject, ['view', '@fly/app', '--json']);
    expect(result.code, result.output).toBe(0);
    const view = JSON.parse(result.stdout) as { name: string; version: string; 'dist-tags': Record<string, string>; dependencies: object; time: object };
    expect(view).toMatchObject({ name: '@fly/app', version: '1.0.0', 'dist-tags': { latest: '1.0.0' }, dependencies: { 'fly-left-pad': '^1.0.0' } });
    expect(Object.keys(view.time)).toEqual(expect.arrayContaining(['created', 'modified', '1.0.0']));
  });

  it('refuses to publish with a read-only token, naming the reason (E403)', async () => {
    const next = await pack('fly-left-pad', { version: '1.0.1', main: 'index.js' }, { 'index.js': 'module.exports = 1;\n' });
    const result = await sandbox.run(readerProject, ['publish', next]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('E403');
    expect(result.output).toMatch(/read-only/);
    const view = await sandbox.run(readerProject, ['view', 'fly-left-pad', 'versions', '--json']);
    expect(JSON.parse(view.stdout)).toEqual(['1.0.0']);
  });

  it('refuses to republish a version and keeps the original bytes', async () => {
    // npm 11 reads the packument first and stops on its own; the registry's 409 for a PUT that gets
    // through anyway is covered in publish-validation.test.ts.
    const again = await pack('fly-left-pad', { version: '1.0.0', main: 'index.js' }, { 'index.js': 'module.exports = "changed";\n' });
    const result = await sandbox.run(writerProject, ['publish', again]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('cannot publish over the previously published versions: 1.0.0');
    const view = await sandbox.run(readerProject, ['view', 'fly-left-pad@1.0.0', 'dist.integrity']);
    expect(view.stdout.trim()).toBe(sha512Integrity(packed.leftPad as string));
  });

  it('moves dist-tags with npm dist-tag add / ls / rm', async () => {
    const next = await pack('fly-left-pad', { version: '1.1.0', main: 'index.js' }, { 'index.js': "module.exports = (s) => '> ' + s;\n" });
    expect((await sandbox.run(writerProject, ['publish', next])).code).toBe(0);
    const add = await sandbox.run(writerProject, ['dist-tag', 'add', 'fly-left-pad@1.0.0', 'stable']);
    expect(add.code, add.output).toBe(0);
    const ls = await sandbox.run(readerProject, ['dist-tag', 'ls', 'fly-left-pad']);
    expect(ls.stdout).toContain('latest: 1.1.0');
    expect(ls.stdout).toContain('stable: 1.0.0');
    const denied = await sandbox.run(readerProject, ['dist-tag', 'add', 'fly-left-pad@1.0.0', 'beta']);
    expect(denied.output).toContain('E403');
    const rm = await sandbox.run(writerProject, ['dist-tag', 'rm', 'fly-left-pad', 'stable']);
    expect(rm.code, rm.output).toBe(0);
    const after = await sandbox.run(readerProject, ['dist-tag', 'ls', 'fly-left-pad']);
    expect(after.stdout).not.toContain('stable');
  });

  it('npm deprecate makes installs warn; read-only tokens cannot deprecate', async () => {
    const denied = await sandbox.run(readerProject, ['deprecate', 'fly-left-pad@1.0.0', 'nope']);
    expect(denied.output).toContain('E403');
    const result = await sandbox.run(writerProject, ['deprecate', 'fly-left-pad@1.0.0', 'Use 1.1.0 or later']);
    expect(result.code, result.output).toBe(0);
    const consumer = sandbox.project(reader.snippets.npmrc, { 'package.json': { name: 'c2', version: '1.0.0', private: true } });
    const install = await sandbox.run(consumer, ['install', 'fly-left-pad@1.0.0'], { cache: sandbox.freshCache() });
    expect(install.code, install.output).toBe(0);
    expect(install.output).toMatch(/deprecated fly-left-pad@1\.0\.0: Use 1\.1\.0 or later/);
    const view = await sandbox.run(readerProject, ['view', 'fly-left-pad@1.1.0', 'deprecated']);
    expect(view.stdout.trim()).toBe('');
  });

  it('npm whoami answers the token username', async () => {
    const result = await sandbox.run(readerProject, ['whoami']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout.trim()).toBe(reader.username);
  });

  it('npm token list / create / revoke manage Fly tokens, and read-only tokens are refused', async () => {
    // npm masks the key column; its id column is the shortest unique prefix of each key (our token id).
    const list = await sandbox.run(writerProject, ['token', 'list', '--parseable']);
    expect(list.code, list.output).toBe(0);
    const rows = list.stdout.trim().split('\n').slice(1).map((line) => line.split('\t'));
    const row = (token: CreatedToken) => rows.find(([, , id, name]) => name === token.name && token.id.startsWith(id ?? '-'));
    expect(row(writer)?.[5]).toBe('false');
    expect(row(reader)?.[5]).toBe('true');

    const refused = await sandbox.run(readerProject, ['token', 'list']);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('E403');
    expect(refused.output).toMatch(/read-only/);

    const wrong = await sandbox.run(writerProject, ['token', 'create', '--name', 'nope', '--password', 'not-the-password']);
    expect(wrong.output).toContain('E401');

    const created = await sandbox.run(writerProject, [
      'token',
      'create',
      '--name',
      'from npm',
      '--password',
      server.admin.password,
      '--packages-and-scopes-permission',
      'read-only',
      '--json',
    ]);
    expect(created.code, created.output).toBe(0);
    const createdToken = JSON.parse(created.stdout) as { token: string; name: string; readonly: boolean };
    expect(createdToken.token).toMatch(/^flyr_/);
    const apiList = await admin.get<{ tokens: { id: string; name: string; permission: string; status: string }[] }>('/api/v1/tokens');
    const fromNpm = apiList.body.tokens.find((t) => t.name === 'from npm');
    expect(fromNpm).toMatchObject({ permission: 'read-only', status: 'active' });

    const revoke = await sandbox.run(writerProject, ['token', 'revoke', (fromNpm?.id ?? '').slice(0, 8)]);
    expect(revoke.code, revoke.output).toBe(0);
    expect(revoke.stdout).toContain('Removed 1 token');
    expect((await tokenStatus(fromNpm?.id ?? ''))?.status).toBe('revoked');
    const whoami = await fetch(`${server.url}/npm/-/whoami`, { headers: { authorization: `Bearer ${createdToken.token}` } });
    expect(whoami.status).toBe(401);
  });

  it('npm login with the Fly password (auth-type legacy) yields a token listed by the API', async () => {
    const project = sandbox.project(registryLineOf(writer.snippets.npmrc));
    const bad = await sandbox.run(project, ['login', '--auth-type=legacy'], { answers: [[/Username:/, 'admin'], [/Password:/, 'wrong-password-123']] });
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain('E401');

    const result = await sandbox.run(project, ['login', '--auth-type=legacy'], { answers: [[/Username:/, 'admin'], [/Password:/, server.admin.password]] });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Logged in on');
    const saved = /:_authToken=(flyr_\w+)/.exec(readFileSync(sandbox.userconfig, 'utf8'))?.[1];
    expect(saved).toBeDefined();
    const res = await admin.get<{ tokens: { name: string; permission: string; status: string; username: string }[] }>('/api/v1/tokens');
    const loginToken = res.body.tokens.find((t) => t.name.startsWith('npm login'));
    expect(loginToken).toMatchObject({ permission: 'read-write', status: 'active' });
    const whoami = await sandbox.run(project, ['whoami']);
    expect(whoami.stdout.trim()).toBe(loginToken?.username);
  });

  it('a revoked token gets E401 naming the revocation', async () => {
    const doomed = await admin.createToken({ name: 'Soon revoked', permission: 'read-only' });
    const project = sandbox.project(doomed.snippets.npmrc);
    expect((await sandbox.run(project, ['view', 'fly-left-pad', 'version'])).code).toBe(0);
    expect((await admin.post(`/api/v1/tokens/${doomed.id}/revoke`)).status).toBe(200);
    const result = await sandbox.run(project, ['view', 'fly-left-pad', 'version']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('E401');
    expect(result.output).toMatch(/revoked at/);
  });

  it('an expired token gets E401 naming the expiry', async () => {
    const brief = await admin.createToken({ name: 'Brief', permission: 'read-only', expiresAt: new Date(Date.now() + 1500).toISOString() });
    const project = sandbox.project(brief.snippets.npmrc);
    await new Promise((r) => setTimeout(r, 2000));
    const result = await sandbox.run(project, ['install', 'fly-left-pad'], { cache: sandbox.freshCache() });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('E401');
    expect(result.output).toMatch(/expired at/);
  });

  it('npm unpublish removes a version, then a whole package; read-only tokens cannot', async () => {
    const denied = await sandbox.run(readerProject, ['unpublish', 'fly-left-pad@1.1.0']);
    expect(denied.code).not.toBe(0);
    expect(denied.output).toContain('E403');

    const one = await sandbox.run(writerProject, ['unpublish', 'fly-left-pad@1.1.0']);
    expect(one.code, one.output).toBe(0);
    const view = await sandbox.run(readerProject, ['view', 'fly-left-pad', '--json']);
    const after = JSON.parse(view.stdout) as { versions: string[]; 'dist-tags': Record<string, string> };
    expect(after.versions).toEqual(['1.0.0']);
    expect(after['dist-tags']).toEqual({ latest: '1.0.0' });
    const gone = await fetch(`${server.url}/npm/fly-left-pad/-/fly-left-pad-1.1.0.tgz`, { headers: { authorization: `Bearer ${reader.token}` } });
    expect(gone.status).toBe(404);

    const all = await sandbox.run(writerProject, ['unpublish', '@fly/app', '--force']);
    expect(all.code, all.output).toBe(0);
    const missing = await sandbox.run(readerProject, ['view', '@fly/app']);
    expect(missing.output).toContain('E404');
  });
});
