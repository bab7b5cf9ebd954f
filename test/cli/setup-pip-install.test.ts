import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel } from '../support/python-dists.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { createVenv, run } from '../support/python-tools.js';
import { login } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const user = new CliUser();
let work: string;

beforeAll(async () => {
  server = await startServer();
  const admin = await login(server);
  await user.login(server);
  work = mkdtempSync(join(tmpdir(), 'flyreg-setup-pip-'));
  const wheel = await buildWheel(work, { name: 'fly-private', version: '1.2.3' });
  const uploader = await admin.createToken({ name: 'ci upload', permission: 'read-write' });
  const res = await uploadDistribution(server.url, uploader.username, uploader.token, wheel);
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${res.text}`);
});
afterAll(async () => {
  await server?.stop();
  user.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('flyreg setup pip with the real pip', () => {
  it("writes the user's pip.conf, keeping its other settings, with which pip installs a private package", async () => {
    const pipConf = join(user.home, '.config', 'pip', 'pip.conf');
    mkdirSync(join(user.home, '.config', 'pip'), { recursive: true });
    writeFileSync(pipConf, '[global]\ntimeout = 30\n\n[install]\nno-warn-script-location = true\n');
    const python = await createVenv(join(work, 'venv'));
    // pip reads only its own configuration here: the user's pip.conf under this HOME, no PIP_INDEX_URL.
    const pipEnv = { HOME: user.home, XDG_CONFIG_HOME: join(user.home, '.config'), PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };

    // pypi.org is unreachable from some machines: no retries, so that this fails at once rather than after pip's back-off.
    const before = await run(python, ['-m', 'pip', 'download', '--retries', '0', '--no-deps', '-d', join(work, 'nothing'), 'fly-private'], pipEnv);
    expect(before.code, 'without the configuration pip must not find the private package').not.toBe(0);

    const [result] = await user.json<{ path: string; token: { permission: string } }[]>(['setup', 'pip', '--permission', 'read-only']);
    expect(result).toMatchObject({ path: pipConf, token: { permission: 'read-only' } });
    const text = readFileSync(pipConf, 'utf8');
    expect(text).toContain('timeout = 30');
    expect(text).toContain('[install]\nno-warn-script-location = true');

    const install = await run(python, ['-m', 'pip', 'install', 'fly-private'], pipEnv);
    expect(install.code, install.output).toBe(0);
    const imported = await run(python, ['-c', 'import fly_private; print(fly_private.VERSION)']);
    expect(imported.stdout.trim()).toBe('1.2.3');
  });
});
