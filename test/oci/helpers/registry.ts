import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, type CreatedToken } from '../../helpers/api.js';
import { startServer, type TestServer } from '../../helpers/server.js';

export interface SkopeoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real skopeo with a throwaway auth file and policy (no network: only our loopback registry). */
export function skopeo(args: string[]): Promise<SkopeoResult> {
  const home = mkdtempSync(join(tmpdir(), 'flyreg-skopeo-'));
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/skopeo',
      ['--insecure-policy', ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: home, REGISTRY_AUTH_FILE: join(home, 'auth.json') }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export const creds = (token: CreatedToken) => `${token.username}:${token.token}`;

export const basic = (token: CreatedToken) => `Basic ${Buffer.from(`${token.username}:${token.token}`).toString('base64')}`;

/** fetch against the registry with a credential (Authorization header value). */
export async function reg(
  server: TestServer,
  path: string,
  init: Omit<RequestInit, 'body'> & { auth?: string; body?: string | Buffer | URLSearchParams } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.auth) headers.set('authorization', init.auth);
  // A copy into a plain ArrayBuffer: what fetch's BodyInit type accepts.
  const body = Buffer.isBuffer(init.body) ? new Uint8Array(init.body) : init.body;
  return fetch(`${server.url}${path}`, { ...init, body, headers, redirect: 'manual' });
}

/** The spec error code of a response body. */
export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string; message: string }[] };
  return body.errors?.[0]?.code;
}

/** Gets a registry bearer token the way Docker does (GET /v2/token with Basic and scopes). */
export async function bearerFor(server: TestServer, token: CreatedToken, scopes: string[]): Promise<string> {
  const query = scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&');
  const res = await reg(server, `/v2/token?service=${server.host}&${query}`, { auth: basic(token) });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return `Bearer ${((await res.json()) as { token: string }).token}`;
}

/** A fresh server and a read & write token on it, with its Basic header: what most registry tests start from. */
export async function startWithWriter(): Promise<{ server: TestServer; rw: CreatedToken; auth: string }> {
  const server = await startServer();
  const rw = await (await login(server)).createToken({ name: 'rw', permission: 'read-write' });
  return { server, rw, auth: basic(rw) };
}
