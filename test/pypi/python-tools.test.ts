import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { runTool, type RunResult } from '../helpers/run-tool.js';
import { pythonTool } from '../helpers/tools.js';

/**
 * The Python packaging tools of the project's venv (scripts/install-python-tools.sh) against a real server:
 * `python -m build` makes a wheel and an sdist with a real build backend (hatchling), `uv publish` uploads
 * them, and `uv pip install`, poetry and pdm install from the registry alone — no other index is configured,
 * so nothing can come from the public one.
 */
describe('uv, python -m build, poetry and pdm', () => {
  let server: TestServer;
  let admin: ApiClient;
  let rw: CreatedToken;
  let ro: CreatedToken;
  let work: string;
  let dists: string[];

  const mount = () => `${server.url}/artifactory/api/pypi/pypi`;
  const simple = (token: CreatedToken) => `http://${token.username}:${token.token}@${server.host}/artifactory/api/pypi/pypi/simple`;

  /** Runs a tool in `cwd` with only the given environment, a home and caches of its own (no user config). */
  function tool(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const base = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      LANG: 'C.UTF-8',
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_CONFIG_HOME: join(home, '.config'),
      UV_NO_CONFIG: '1',
      UV_PYTHON_DOWNLOADS: 'never',
      PIP_CONFIG_FILE: '/dev/null',
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
      // Anything but the registry goes to a closed port: a tool falling back to the public index fails.
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1,localhost',
    };
    return runTool(file, args, { cwd, env: { ...base, ...env } });
  }

  /** A project directory with these files. */
  function project(name: string, files: Record<string, string>): string {
    const dir = join(work, name);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  beforeAll(async () => {
    pythonTool('python');
    server = await startServer();
    admin = await login(server);
    rw = await admin.createToken({ name: 'CI upload', permission: 'read-write' });
    ro = await admin.createToken({ name: 'deploy install', permission: 'read-only' });
    work = mkdtempSync(join(tmpdir(), 'flyreg-python-tools-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('python -m build makes a wheel and an sdist with the hatchling backend', async () => {
    const dir = project('fly-built', {
      'pyproject.toml': [
        '[build-system]',
        'requires = ["hatchling"]',
        'build-backend = "hatchling.build"',
        '[project]',
        'name = "Fly.Built"',
        'version = "1.2.0"',
        'description = "Built by python -m build"',
        'requires-python = ">=3.9"',
        '[tool.hatch.build.targets.wheel]',
        'packages = ["src/fly_built"]',
        '',
      ].join('\n'),
      'src/fly_built/__init__.py': 'VERSION = "1.2.0"\n',
      'README.md': 'fly-built\n',
    });
    // --no-isolation: the backend comes from the tools venv, so the build never reaches the public index.
    const built = await tool(pythonTool('python'), ['-m', 'build', '--no-isolation', '--outdir', 'dist', '.'], dir);
    expect(built.code, built.output).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['fly_built-1.2.0-py3-none-any.whl', 'fly_built-1.2.0.tar.gz']);
    dists = readdirSync(join(dir, 'dist')).map((f) => join(dir, 'dist', f));
  });

  it('uv publish uploads them with a read & write token, and is refused with the read-only one', async () => {
    const refused = await tool(pythonTool('uv'), ['publish', '--publish-url', `${mount()}/`, '-u', ro.username, '-p', ro.token, ...dists], work);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/403/);
    expect(refused.output).toMatch(/read-only/);
    const published = await tool(pythonTool('uv'), ['publish', '--publish-url', `${mount()}/`, '-u', '__token__', '-p', rw.token, ...dists], work);
    expect(published.code, published.output).toBe(0);
    expect(published.output).not.toContain(rw.token);
    const page = await fetch(`${server.url}/pypi/simple/fly-built/`, { headers: { authorization: `Bearer ${ro.token}`, accept: 'application/vnd.pypi.simple.v1+json' } });
    const files = ((await page.json()) as { files: { filename: string }[] }).files.map((f) => f.filename).sort();
    expect(files).toEqual(['fly_built-1.2.0-py3-none-any.whl', 'fly_built-1.2.0.tar.gz']);
  });

  it('uv pip install installs it from the registry with a read-only token', async () => {
    const venv = join(work, 'uv-venv');
    const created = await tool(pythonTool('uv'), ['venv', '--python', pythonTool('python'), venv], work);
    expect(created.code, created.output).toBe(0);
    const installed = await tool(pythonTool('uv'), ['pip', 'install', '--python', join(venv, 'bin', 'python'), '--index-url', simple(ro), 'fly-built==1.2.0'], work);
    expect(installed.code, installed.output).toBe(0);
    const imported = await tool(join(venv, 'bin', 'python'), ['-c', 'import fly_built; print(fly_built.VERSION)'], work);
    expect(imported.stdout.trim()).toBe('1.2.0');
    expect(installed.output).not.toContain(ro.token);
  });

  it('poetry adds and installs it with the registry as its only source', async () => {
    const dir = project('poetry-app', {
      'pyproject.toml': [
        '[project]',
        'name = "poetry-app"',
        'version = "0.1.0"',
        'requires-python = ">=3.9"',
        'dependencies = []',
        '[tool.poetry]',
        'package-mode = false',
        '[[tool.poetry.source]]',
        'name = "fly"',
        `url = "${mount()}/simple/"`,
        'priority = "primary"',
        '',
      ].join('\n'),
    });
    const env = {
      POETRY_HTTP_BASIC_FLY_USERNAME: ro.username,
      POETRY_HTTP_BASIC_FLY_PASSWORD: ro.token,
      POETRY_VIRTUALENVS_IN_PROJECT: 'true',
      // The project's venv is made from the tools venv's Python, not whatever python3 comes first on PATH.
      POETRY_VIRTUALENVS_USE_POETRY_PYTHON: 'true',
      POETRY_CACHE_DIR: join(work, 'poetry-cache'),
      POETRY_NO_INTERACTION: '1',
    };
    const added = await tool(pythonTool('poetry'), ['add', 'fly-built==1.2.0'], dir, env);
    expect(added.code, added.output).toBe(0);
    expect(added.output).not.toContain(ro.token);
    const imported = await tool(join(dir, '.venv', 'bin', 'python'), ['-c', 'import fly_built; print(fly_built.VERSION)'], dir);
    expect(imported.stdout.trim(), imported.output).toBe('1.2.0');
  });

  it('pdm adds and installs it with the registry in place of the public index', async () => {
    const dir = project('pdm-app', {
      'pyproject.toml': ['[project]', 'name = "pdm-app"', 'version = "0.1.0"', 'requires-python = ">=3.9"', 'dependencies = []', '[tool.pdm]', 'distribution = false', ''].join('\n'),
    });
    const env = {
      PDM_PYPI_URL: `${mount()}/simple`,
      PDM_PYPI_USERNAME: ro.username,
      PDM_PYPI_PASSWORD: ro.token,
      PDM_CACHE_DIR: join(work, 'pdm-cache'),
      PDM_CHECK_UPDATE: 'false',
      PDM_NON_INTERACTIVE: '1',
    };
    const used = await tool(pythonTool('pdm'), ['use', '-f', pythonTool('python')], dir, env);
    expect(used.code, used.output).toBe(0);
    const added = await tool(pythonTool('pdm'), ['add', 'fly-built==1.2.0'], dir, env);
    expect(added.code, added.output).toBe(0);
    expect(added.output).not.toContain(ro.token);
    const imported = await tool(pythonTool('pdm'), ['run', 'python', '-c', 'import fly_built; print(fly_built.VERSION)'], dir, env);
    expect(imported.stdout.trim(), imported.output).toBe('1.2.0');
  });
});
