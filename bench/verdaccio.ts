import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../src/server/free-port.js';
import { stopProcess } from '../test/support/stop-process.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/install-verdaccio.sh puts Verdaccio 6.8.0 (outside the repository, not a dependency). */
export function verdaccioDir(): string {
  return process.env.FLY_BENCH_VERDACCIO_DIR ?? join(tmpdir(), 'flyreg-verdaccio-6.8.0');
}

export interface RunningVerdaccio {
  /** Registry URL with trailing slash. */
  registry: string;
  /** A token of a freshly registered user (may read and publish every package). */
  token: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts Verdaccio with its own storage, no uplinks (nothing proxied to npmjs.org), packages readable and
 * publishable by authenticated users only, JWT API tokens, logging errors only — as close to Fly's setting
 * as it goes. Returns undefined when Verdaccio is not installed.
 */
export async function startVerdaccio(): Promise<RunningVerdaccio | undefined> {
  const bin = join(verdaccioDir(), 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  if (!existsSync(bin)) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'flybench-verdaccio-'));
  const port = await freePort();
  const config = join(root, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(root, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(root, 'htpasswd')}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $authenticated',
      '    publish: $authenticated',
      '    unpublish: $authenticated',
      // JWT API tokens: Verdaccio's default legacy tokens re-check the bcrypt password on every request,
      // which would measure bcrypt rather than the registry.
      'security:',
      '  api:',
      '    jwt:',
      '      sign:',
      '        expiresIn: 7d',
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const registry = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    await stopProcess(child, 5000);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitFor(`${registry}-/ping`, child, () => output);
    const res = await fetch(`${registry}-/user/org.couchdb.user:bench`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', password: 'bench-password-123', email: 'bench@example.com', type: 'user', roles: [] }),
    });
    if (!res.ok) throw new Error(`Verdaccio adduser: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return { registry, token, pid: child.pid ?? -1, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Verdaccio did not answer ${url}:\n${output()}`);
}
