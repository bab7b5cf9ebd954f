import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { blobStored, fileDigest as sha256, runGc } from '../helpers/gc.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from './npm-cli.js';

/** `flyreg gc` reclaims what npm unpublish leaves behind, and nothing a published version still uses. */
describe('flyreg gc after npm unpublish', () => {
  let server: TestServer;
  let sandbox: NpmSandbox;
  let writer: CreatedToken;
  let project: string;

  const pack = async (version: string): Promise<string> => {
    const dir = sandbox.project('', { 'package.json': { name: 'fly-gc-demo', version, main: 'index.js' }, 'index.js': `module.exports = '${version}';\n` });
    const result = await sandbox.run(dir, ['pack', '--json']);
    expect(result.code, result.output).toBe(0);
    const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
    return join(dir, filename);
  };

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'CI publish', permission: 'read-write' });
    sandbox = new NpmSandbox();
    project = sandbox.project(writer.snippets.npmrc);
  });
  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
  });

  it('removes the unpublished version’s tarball once past the grace period, and keeps the other', async () => {
    const [first, second] = [await pack('1.0.0'), await pack('1.1.0')];
    for (const tarball of [first, second]) {
      const published = await sandbox.run(project, ['publish', tarball]);
      expect(published.code, published.output).toBe(0);
    }
    const [kept, dropped] = [sha256(first), sha256(second)];
    expect(blobStored(server, kept) && blobStored(server, dropped)).toBe(true);

    const unpublished = await sandbox.run(project, ['unpublish', 'fly-gc-demo@1.1.0']);
    expect(unpublished.code, unpublished.output).toBe(0);
    // Within the default grace period (an hour) nothing goes: the tarball was touched at publish.
    expect(await runGc(server)).toMatch(/Removed 0 blob\(s\)/);
    expect(blobStored(server, dropped)).toBe(true);

    await new Promise((r) => setTimeout(r, 1100));
    expect(await runGc(server, '--grace-seconds', '1')).toMatch(/Removed 1 blob\(s\)/);
    expect(blobStored(server, dropped)).toBe(false);
    expect(blobStored(server, kept)).toBe(true);

    // The remaining version still installs.
    const consumer = sandbox.project(writer.snippets.npmrc, { 'package.json': { name: 'consumer', version: '1.0.0', dependencies: { 'fly-gc-demo': '1.0.0' } } });
    const installed = await sandbox.run(consumer, ['install'], { cache: sandbox.freshCache() });
    expect(installed.code, installed.output).toBe(0);
    expect(readFileSync(join(consumer, 'node_modules', 'fly-gc-demo', 'index.js'), 'utf8')).toContain('1.0.0');
  });
});
