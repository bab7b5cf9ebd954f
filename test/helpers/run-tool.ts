import { execFile } from 'node:child_process';
import type { RunResult } from '../../src/bench/python-tools.js';

export type { RunResult };

/**
 * Runs a client program in `cwd` with exactly `env` (the caller decides PATH, HOME and every setting, so the
 * machine's own configuration stays out), never throwing on a failed exit: tests assert on code and output.
 */
export function runTool(file: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}
