import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on npm's messages. */
  output: string;
}

/**
 * A sandbox for the real npm CLI: its own HOME, cache, empty user and global config, and no npm_config_*
 * variables inherited from whatever started the tests. Projects inside it are configured only by their
 * own .npmrc, exactly as a user would paste it from the token snippet.
 */
export class NpmSandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'flyreg-npm-'));
  readonly userconfig = join(this.root, 'userrc');
  private readonly globalconfig = join(this.root, 'globalrc');
  private projects = 0;

  constructor() {
    writeFileSync(this.userconfig, '');
    writeFileSync(this.globalconfig, '');
  }

  /** A directory with an .npmrc and the given files (JSON values are written as JSON). */
  project(npmrc: string, files: Record<string, string | object> = {}): string {
    const dir = join(this.root, `project-${++this.projects}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.npmrc'), npmrc);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
    return dir;
  }

  /** A cache directory of its own, for a cold-cache install. */
  freshCache(): string {
    return join(this.root, `cache-${++this.projects}`);
  }

  /**
   * Runs `npm <args>` in `cwd`. `answers` feeds interactive prompts: when the output ends with a prompt
   * (e.g. "Username:"), its answer is written to stdin. `onOutput` sees everything printed so far as it
   * arrives (e.g. the URL `npm login` prints while it keeps waiting).
   */
  run(
    cwd: string,
    args: string[],
    options: { cache?: string; answers?: [RegExp, string][]; timeoutMs?: number; onOutput?: (soFar: string) => void } = {},
  ): Promise<NpmResult> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.root,
      npm_config_cache: options.cache ?? join(this.root, 'cache'),
      npm_config_globalconfig: this.globalconfig,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_loglevel: 'notice',
    };
    return new Promise((resolve, reject) => {
      const child = spawn('npm', [...args, '--userconfig', this.userconfig], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const pending = [...(options.answers ?? [])];
      const answer = () => {
        options.onOutput?.(stdout + stderr);
        const next = pending[0];
        if (next && next[0].test(stdout + stderr)) {
          pending.shift();
          child.stdin.write(`${next[1]}\n`);
        }
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        answer();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        answer();
      });
      if (pending.length === 0) child.stdin.end();
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`npm ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
      }, options.timeoutMs ?? 90_000);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
      });
    });
  }

  /** `npm pack` of a package made of `package.json` (this manifest) and `files`, in a directory of its own; the tarball's path. */
  async pack(manifest: { name: string; version: string } & Record<string, unknown>, files: Record<string, string> = {}): Promise<string> {
    const dir = this.project('', { 'package.json': manifest, ...files });
    const result = await this.run(dir, ['pack', '--json']);
    if (result.code !== 0) throw new Error(`npm pack failed: ${result.output}`);
    const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
    return join(dir, filename);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The SRI string npm records for a file: `sha512-<base64>`. */
export function sha512Integrity(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Only the registry line of a token snippet: a project that relies on npm login for its credential. */
export function registryLineOf(npmrc: string): string {
  return `${npmrc.split('\n').find((l) => l.startsWith('registry=')) ?? ''}\n`;
}
