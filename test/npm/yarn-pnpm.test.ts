import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from './npm-cli.js';

/** Where scripts/install-js-clients.sh puts Yarn 1, Yarn 4 and pnpm. */
const CLIENTS = join(process.env.FLY_TEST_JS_CLIENTS_DIR ?? '/var/cache/fly-registry/js-clients', 'node_modules');
const YARN1 = join(CLIENTS, 'yarn', 'bin', 'yarn.js');
const YARN4 = join(CLIENTS, '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');
const PNPM = join(CLIENTS, 'pnpm', 'bin', 'pnpm.cjs');

interface Run {
  code: number | null;
  output: string;
}

let server: TestServer;
const user = new CliUser();
const npm = new NpmSandbox();

/** Runs a package manager in `cwd` with a HOME of its own and nothing inherited that configures it. */
function run(cli: string, args: string[], cwd: string): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: npm.root,
    YARN_CACHE_FOLDER: join(npm.root, 'yarn1-cache'),
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_GLOBAL_CACHE: '0',
    npm_config_store_dir: join(npm.root, 'pnpm-store'),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const DEPENDENCIES = { 'fly-plain': '^1.0.0', '@acme/scoped': '^1.0.0' };

/** A consumer project configured only by `flyreg setup npm --project` (a read-only token). */
async function configuredProject(files: Record<string, string | object>): Promise<string> {
  const dir = npm.project('', files);
  await user.json(['setup', 'npm', '--project', dir, '--permission', 'read-only']);
  return dir;
}

const installed = (dir: string) => ['fly-plain', '@acme/scoped'].map((name) => existsSync(join(dir, 'node_modules', name, 'index.js')));

beforeAll(async () => {
  server = await startServer();
  const admin = await login(server);
  await user.login(server);
  const ci = await admin.createToken({ name: 'ci publish', permission: 'read-write' });
  // One unscoped and one scoped package: Yarn sends the token for scoped ones only, unless told always.
  for (const name of ['fly-plain', '@acme/scoped']) {
    const dir = npm.project(ci.snippets.npmrc, { 'package.json': { name, version: '1.0.0', main: 'index.js' }, 'index.js': `module.exports = ${JSON.stringify(name)};\n` });
    const published = await npm.run(dir, ['publish']);
    if (published.code !== 0) throw new Error(`publish ${name} failed: ${published.output}`);
  }
});
afterAll(async () => {
  await server?.stop();
  user.remove();
  npm.remove();
});

describe('Yarn and pnpm install private packages through the configuration flyreg setup writes', () => {
  it('Yarn 1 (reads .npmrc; always-auth makes it send the token for unscoped packages too)', async () => {
    const dir = await configuredProject({ 'package.json': { name: 'consumer-yarn1', version: '0.0.1', dependencies: DEPENDENCIES } });
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).toContain(':always-auth=true');
    const install = await run(YARN1, ['install', '--non-interactive', '--no-progress'], dir);
    expect(install.code, install.output).toBe(0);
    expect(installed(dir)).toEqual([true, true]);
    expect(readFileSync(join(dir, 'yarn.lock'), 'utf8')).toContain(`/fly-plain/-/fly-plain-1.0.0.tgz`);
  });

  it('Yarn 4 (a project with packageManager yarn@4 gets .yarnrc.yml with npmAlwaysAuth)', async () => {
    const dir = await configuredProject({
      'package.json': { name: 'consumer-yarn4', version: '0.0.1', packageManager: 'yarn@4.18.1', dependencies: DEPENDENCIES },
      '.yarnrc.yml': 'nodeLinker: node-modules\n',
    });
    const yarnrc = readFileSync(join(dir, '.yarnrc.yml'), 'utf8');
    expect(yarnrc).toContain('nodeLinker: node-modules');
    expect(yarnrc).toContain('npmAlwaysAuth: true');
    expect(yarnrc).toMatch(/npmAuthToken: "flyr_/);
    // Yarn 4's age gate (npmMinimalAgeGate, 1 day by default) quarantines versions published moments ago...
    const gated = await run(YARN4, ['install'], dir);
    expect(gated.code).not.toBe(0);
    expect(gated.output).toContain('quarantined');
    // ...until the project trusts its own packages, as the README and setup's note explain.
    writeFileSync(join(dir, '.yarnrc.yml'), `${yarnrc}npmPreapprovedPackages:\n  - "fly-plain"\n  - "@acme/*"\n`);
    const install = await run(YARN4, ['install'], dir);
    expect(install.code, install.output).toBe(0);
    expect(installed(dir)).toEqual([true, true]);
  });

  it('pnpm (reads .npmrc)', async () => {
    const dir = await configuredProject({ 'package.json': { name: 'consumer-pnpm', version: '0.0.1', dependencies: DEPENDENCIES } });
    const install = await run(PNPM, ['install', '--reporter=append-only'], dir);
    expect(install.code, install.output).toBe(0);
    expect(installed(dir)).toEqual([true, true]);
  });

  it('without the configuration none of them gets the private packages', async () => {
    const dir = npm.project(`registry=${server.url}/npm/\n`, { 'package.json': { name: 'consumer-anonymous', version: '0.0.1', dependencies: DEPENDENCIES } });
    writeFileSync(join(dir, '.yarnrc.yml'), `npmRegistryServer: "${server.url}/npm/"\nunsafeHttpWhitelist:\n  - "127.0.0.1"\n`);
    for (const cli of [YARN1, PNPM]) {
      const install = await run(cli, ['install'], dir);
      expect(install.code, install.output).not.toBe(0);
    }
  });
});
