import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';

/**
 * Fine-grained scopes with the real npm: a token scoped to `npm:@acme/*` installs @acme/lib, is refused
 * left-pad-private (install, view, publish), finds only @acme packages with npm search, and npm whoami
 * and npm token list still work with it.
 */
describe('an npm token scoped to npm:@acme/*', () => {
  let server: TestServer;
  let admin: ApiClient;
  let sandbox: NpmSandbox;
  let publisher: CreatedToken;
  let acmeReader: CreatedToken;
  let acmeWriter: CreatedToken;

  const pack = (name: string, version: string) =>
    sandbox.pack({ name, version, description: `${name} for tests`, main: 'index.js' }, { 'index.js': `module.exports = '${name}';\n` });

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    sandbox = new NpmSandbox();
    publisher = await admin.createToken({ name: 'seed', permission: 'read-write' });
    acmeReader = await admin.createToken({ name: 'acme install', permission: 'read-only', scope: ['npm:@acme/*'] });
    acmeWriter = await admin.createToken({ name: 'acme publish', permission: 'read-write', scope: ['npm:@acme/*'] });
    const seed = sandbox.project(publisher.snippets.npmrc);
    for (const [name, version] of [['@acme/lib', '1.0.0'], ['left-pad-private', '1.0.0']] as const) {
      const published = await sandbox.run(seed, ['publish', await pack(name, version)]);
      expect(published.code, published.output).toBe(0);
    }
  });

  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  it('installs @acme/lib', async () => {
    const project = sandbox.project(acmeReader.snippets.npmrc, { 'package.json': { name: 'consumer', version: '1.0.0', private: true } });
    const result = await sandbox.run(project, ['install', '@acme/lib@1.0.0'], { cache: sandbox.freshCache() });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain(acmeReader.token);
  });

  it('is refused left-pad-private (E403, naming the scope)', async () => {
    const project = sandbox.project(acmeReader.snippets.npmrc, { 'package.json': { name: 'consumer2', version: '1.0.0', private: true } });
    const result = await sandbox.run(project, ['install', 'left-pad-private@1.0.0'], { cache: sandbox.freshCache() });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('E403');
    expect(result.output).toMatch(/outside the token's scope/);
    const view = await sandbox.run(project, ['view', 'left-pad-private', '--json']);
    expect(view.code).not.toBe(0);
  });

  it('a read & write token scoped to @acme publishes @acme/… and is refused anything else', async () => {
    const project = sandbox.project(acmeWriter.snippets.npmrc);
    const inside = await sandbox.run(project, ['publish', await pack('@acme/tools', '1.0.0')]);
    expect(inside.code, inside.output).toBe(0);
    const outside = await sandbox.run(project, ['publish', await pack('left-pad-public', '1.0.0')]);
    expect(outside.code).not.toBe(0);
    expect(outside.output).toContain('E403');
    const check = await fetch(`${server.url}/npm/left-pad-public`, { headers: { authorization: `Bearer ${publisher.token}` } });
    expect(check.status).toBe(404);
  });

  it('npm search finds only @acme packages', async () => {
    const project = sandbox.project(acmeReader.snippets.npmrc);
    const all = await sandbox.run(sandbox.project(publisher.snippets.npmrc), ['search', '--json', 'l']);
    expect((JSON.parse(all.stdout) as { name: string }[]).map((p) => p.name).sort()).toEqual(['@acme/lib', '@acme/tools', 'left-pad-private']);
    const scoped = await sandbox.run(project, ['search', '--json', 'l']);
    expect(scoped.code, scoped.output).toBe(0);
    expect((JSON.parse(scoped.stdout) as { name: string }[]).map((p) => p.name).sort()).toEqual(['@acme/lib', '@acme/tools']);
  });

  it('npm whoami and npm token list are unaffected by the scope', async () => {
    const project = sandbox.project(acmeWriter.snippets.npmrc);
    const whoami = await sandbox.run(project, ['whoami']);
    expect(whoami.code, whoami.output).toBe(0);
    expect(whoami.stdout.trim()).toBe(acmeWriter.username);
    const tokens = await sandbox.run(project, ['token', 'list', '--json']);
    expect(tokens.code, tokens.output).toBe(0);
    expect((JSON.parse(tokens.stdout) as unknown[]).length).toBeGreaterThan(0);
  });
});
