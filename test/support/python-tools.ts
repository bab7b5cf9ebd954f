/**
 * Runs this machine's Python tools (venv, pip) for the PyPI tests and benchmark, with a controlled
 * environment so the machine's pip configuration and caches cannot interfere.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what the tool told its user. */
  output: string;
}

/** Runs a program with exactly the given environment (plus PATH/HOME), never throwing on a failed exit. */
export function run(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 180_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** A fresh virtual environment from this machine's python3; returns its python. */
export async function createVenv(dir: string): Promise<string> {
  const result = await run('python3', ['-m', 'venv', dir]);
  if (result.code !== 0) throw new Error(`python3 -m venv failed:\n${result.output}`);
  return join(dir, 'bin', 'python');
}

/** The PIP_INDEX_URL the product documents: token username and token in the URL. */
export function pipIndexUrl(host: string, username: string, token: string): string {
  return `http://${username}:${token}@${host}/artifactory/api/pypi/pypi/simple`;
}

/** pip in a venv with only PIP_INDEX_URL set (plus switches that keep this machine's config and caches out). */
export function pip(python: string, indexUrl: string, args: string[]): Promise<RunResult> {
  return run(python, ['-m', 'pip', ...args], {
    PIP_INDEX_URL: indexUrl,
    PIP_NO_CACHE_DIR: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_INPUT: '1',
  });
}
