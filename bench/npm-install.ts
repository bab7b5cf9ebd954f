import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Wall time of `npm install` of a project depending on `dependencies`, from a cold cache: a new project
 * directory (no lockfile, no node_modules) and an empty cache each run, configured only by `npmrc`.
 * Audit is off so a registry without an audit service (or one that would proxy it to npmjs.org) is not
 * timed on that. Returns every run's milliseconds.
 */
export async function timeColdInstalls(npmrc: string, dependencies: Record<string, string>, runs: number): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), 'flybench-install-'));
  try {
    writeFileSync(join(root, 'userrc'), '');
    writeFileSync(join(root, 'globalrc'), '');
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const project = join(root, `project-${run}`);
      mkdirSync(project);
      writeFileSync(join(project, '.npmrc'), npmrc);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench-consumer', version: '1.0.0', private: true, dependencies }));
      const started = process.hrtime.bigint();
      await runNpm(project, root, join(root, `cache-${run}`));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return times;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runNpm(cwd: string, root: string, cache: string): Promise<void> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    npm_config_cache: cache,
    npm_config_userconfig: join(root, 'userrc'),
    npm_config_globalconfig: join(root, 'globalrc'),
    npm_config_update_notifier: 'false',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm install failed (${code}):\n${stderr}`))));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
