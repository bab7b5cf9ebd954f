import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './server.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A user's machine for the CLI: its own HOME, flyreg config dir, Docker config dir and XDG config home,
 * all in a temporary directory, so a test sees exactly the files the CLI wrote.
 */
export class CliUser {
  readonly root = mkdtempSync(join(tmpdir(), 'flyreg-cli-'));
  readonly home = join(this.root, 'home');
  readonly configDir = join(this.root, 'flyreg-config');
  readonly dockerConfig = join(this.root, 'docker');

  constructor() {
    mkdirSync(this.home, { recursive: true });
  }

  get env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: this.home,
      FLYREG_CONFIG_DIR: this.configDir,
      DOCKER_CONFIG: this.dockerConfig,
      XDG_CONFIG_HOME: join(this.home, '.config'),
    };
  }

  /** Runs `node dist/cli/main.js …args` with stdin piped in (closed at once when none). */
  /** `onOutput` sees stdout and stderr so far as they arrive (e.g. the URL `flyreg login` prints while it waits). */
  run(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string; onOutput?: (soFar: string) => void } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_PATH, ...args], {
        env: { ...this.env, ...options.env },
        cwd: options.cwd ?? this.home,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        options.onOutput?.(stdout + stderr);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        options.onOutput?.(stdout + stderr);
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
  }

  /** Runs a command that must succeed and returns its stdout parsed as JSON. */
  async json<T = Record<string, unknown>>(args: string[], options: { stdin?: string; cwd?: string } = {}): Promise<T> {
    const result = await this.run([...args, '--json'], options);
    if (result.code !== 0) throw new Error(`flyreg ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** `flyreg login <server> --username … --password-stdin`. */
  async login(server: TestServer, username = server.admin.username, password = server.admin.password): Promise<void> {
    const result = await this.run(['login', server.url, '--username', username, '--password-stdin'], { stdin: `${password}\n` });
    if (result.code !== 0) throw new Error(`login failed: ${result.stderr}`);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
