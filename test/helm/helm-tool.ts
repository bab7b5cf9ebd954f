import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { basicAuth } from '../helpers/api.js';

/** Where scripts/install-helm.sh links helm. */
export const HELM = process.env.FLY_HELM ?? join(process.env.FLY_TOOLS_CACHE ?? '/var/cache/fly-registry', 'bin', 'helm');

export interface HelmRun {
  code: number;
  output: string;
  stdout: string;
}

/** A machine for helm: its own config, cache and data homes (repositories, registry logins). */
export function helmHome(root: string): Record<string, string> {
  const dirs = { HELM_CONFIG_HOME: join(root, 'config'), HELM_CACHE_HOME: join(root, 'cache'), HELM_DATA_HOME: join(root, 'data') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return { HOME: root, ...dirs, HELM_REGISTRY_CONFIG: join(root, 'config', 'registry.json') };
}

/** Runs helm with exactly the given environment (plus PATH); `stdin` is written to it (e.g. --password-stdin). */
export function runHelm(args: string[], cwd: string, env: Record<string, string>, stdin = ''): Promise<HelmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(HELM, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => ((output += c.toString()), (stdout += c.toString())));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.stdin.end(stdin);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output, stdout });
    });
  });
}

/** Uploads a chart archive as the tests' clients do (PUT charts/<file> or ChartMuseum's POST api/charts), with Basic credentials. */
export function uploadChart(url: string, method: 'PUT' | 'POST', body: Buffer, token: { username: string; token: string }): Promise<Response> {
  return fetch(url, { method, headers: { ...basicAuth(token.username, token.token), 'content-type': 'application/gzip' }, body: new Uint8Array(body) });
}
