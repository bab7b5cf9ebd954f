import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';

let server: TestServer;
const user = new CliUser();
const npm = new NpmSandbox();

beforeAll(async () => {
  server = await startServer();
  const admin = await login(server);
  await user.login(server);
  // CI publishes the private package with a read & write token, configured by its snippet alone.
  const ci = await admin.createToken({ name: 'ci publish', permission: 'read-write' });
  const source = npm.project(ci.snippets.npmrc, {
    'package.json': { name: 'fly-setup-private', version: '1.4.0', main: 'index.js' },
    'index.js': 'module.exports = "from fly";\n',
  });
  const published = await npm.run(source, ['publish']);
  if (published.code !== 0) throw new Error(`publish failed: ${published.output}`);
});
afterAll(async () => {
  await server?.stop();
  user.remove();
  npm.remove();
});

describe('flyreg setup npm with the real npm', () => {
  it("writes the project's .npmrc, keeping its other settings, with which npm installs a private package", async () => {
    const project = npm.project('save-exact=true\n', {
      'package.json': { name: 'consumer', version: '0.0.1', dependencies: { 'fly-setup-private': '^1.4.0' } },
    });

    // npm's default registry answers 404 here, or not at all from a machine without its certificate chain:
    // no retries, so that the second case fails in a second rather than after a minute of back-off.
    const before = await npm.run(project, ['install', '--no-audit', '--fetch-retries=0']);
    expect(before.code, 'without the configuration npm must not find the private package').not.toBe(0);

    const [result] = await user.json<{ path: string; token: { permission: string } }[]>(['setup', 'npm', '--project', project, '--permission', 'read-only']);
    expect(result).toMatchObject({ path: join(project, '.npmrc'), token: { permission: 'read-only' } });
    const npmrc = readFileSync(join(project, '.npmrc'), 'utf8');
    expect(npmrc).toContain('save-exact=true');
    // The public URL (FLY_PUBLIC_URL, by default http://localhost:<port>) is what clients are configured with.
    expect(npmrc).toContain(`registry=http://localhost:${server.port}/artifactory/api/npm/npm/`);

    const install = await npm.run(project, ['install', '--no-audit']);
    expect(install.code, install.output).toBe(0);
    expect(existsSync(join(project, 'node_modules', 'fly-setup-private', 'index.js'))).toBe(true);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    expect(lock.packages['node_modules/fly-setup-private']).toMatchObject({ version: '1.4.0', integrity: expect.stringMatching(/^sha512-/) });

    // The token setup wrote is read-only: publishing with this configuration is refused, naming why.
    const publish = await npm.run(project, ['publish']);
    expect(publish.code).not.toBe(0);
    expect(publish.output).toMatch(/read-only/i);
  });
});
