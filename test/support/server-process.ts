import { PACKAGE_ROOT } from './package-root.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/server/free-port.js';
import { stopProcess, type Exit } from './stop-process.js';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Always the built CLI (dist/cli/main.js of the package root), from source and compiled alike. */
const CLI = join(PACKAGE_ROOT, 'dist/cli/main.js');

export interface ServerProcessOptions {
  /** FLY_DATABASE_URL: `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  dataDir: string;
  /** The first admin, created when the database has no users. */
  admin: { username: string; password: string };
  /** Extra FLY_* settings (they win over the defaults chosen here). */
  env?: Record<string, string>;
  /**
   * Send the server's output to this file instead of a pipe read into memory: for load runs with the
   * access log on, where holding every line would grow this process and cost it CPU. A device (`/dev/full`)
   * is written to but never read back.
   */
  logFile?: string;
  /** Options for node itself, e.g. `--cpu-prof` (NODE_OPTIONS refuses it). */
  nodeArgs?: string[];
}

export interface ServerProcess {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  host: string;
  port: number;
  pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (graceful shutdown), then SIGKILL after 10 s. Resolves once the process has exited, with how it did. */
  stop(): Promise<Exit>;
}

const START_TIMEOUT_MS = 60_000;
const START_ATTEMPTS = 3;

/**
 * Starts `flyreg serve` from dist/ as a child process on a free port of 127.0.0.1 and resolves once the child
 * says it listens ('ready' on its IPC channel, sent after its own listen succeeded: a health check alone could
 * be answered by another server that took the port first) and answers /healthz. The port is picked here so we
 * know it before the first log line; if another process takes it in between, the child exits with
 * EADDRINUSE and we try another port.
 */
export async function spawnServer(options: ServerProcessOptions): Promise<ServerProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await spawnOnPort(options, port);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

async function spawnOnPort(options: ServerProcessOptions, port: number): Promise<ServerProcess> {
  const logFd = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      FLY_PORT: String(port),
      FLY_HOST: '127.0.0.1',
      FLY_DATA_DIR: options.dataDir,
      FLY_DATABASE_URL: options.databaseUrl,
      FLY_ADMIN_USERNAME: options.admin.username,
      FLY_ADMIN_PASSWORD: options.admin.password,
      FLY_LOG_LEVEL: 'info',
      // One process unless a test or benchmark asks for more: the suite starts many servers on few cores.
      FLY_WORKERS: '1',
      ...options.env,
    },
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', logFd, logFd, 'ipc'],
  });
  if (logFd !== undefined) closeSync(logFd); // the child holds its own copy
  let piped = '';
  const logFile = options.logFile;
  const output = () => (logFile === undefined ? piped : statSync(logFile).isFile() ? readFileSync(logFile, 'utf8') : `(the output went to ${logFile})`);
  let closed = false;
  let ready = false;
  // 'close' comes after the output streams have ended, so the reason for an early exit is in `output`.
  child.once('close', () => (closed = true));
  child.on('message', (message) => (ready ||= message === 'ready'));
  child.stdout?.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  try {
    await waitUntilHealthy(url, { closed: () => closed, ready: () => ready }, output, child);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { url, host, port, pid: child.pid ?? -1, output, stop: () => stopProcess(child) };
}

async function waitUntilHealthy(url: string, state: { closed(): boolean; ready(): boolean }, output: () => string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (state.closed()) {
      const text = output();
      if (text.includes('EADDRINUSE')) throw new PortTakenError(`port taken: ${url}`);
      throw new Error(`server exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${text}`);
    }
    if (state.ready()) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        /* answered below, or tried again */
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not say it listens and answer ${url}/healthz within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}
