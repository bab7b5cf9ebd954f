import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from './database.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface TestServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  host: string;
  port: number;
  admin: { username: string; password: string };
  database: TestDatabase;
  /** Everything the process printed so far (stdout and stderr), for log assertions. */
  output(): string;
  stop(): Promise<void>;
  /** Stop the process but keep the database and data dir, to start again over them. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a database (and data dir) from an earlier server, e.g. to test a restart. */
  database?: TestDatabase;
}

/** Starts `flyreg serve` from dist/ as a real process on a free port with a fresh database. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const admin = { username: 'admin', password: `pw-${randomBytes(12).toString('hex')}` };
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      FLY_PORT: '0',
      FLY_HOST: '127.0.0.1',
      FLY_DATA_DIR: database.dataDir,
      FLY_DATABASE_URL: database.url,
      FLY_ADMIN_USERNAME: admin.username,
      FLY_ADMIN_PASSWORD: admin.password,
      FLY_LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await waitForListening(child, () => output);
  const host = `127.0.0.1:${port}`;
  const kill = () => stopProcess(child);
  return {
    url: `http://${host}`,
    host,
    port,
    admin,
    database,
    output: () => output,
    kill,
    stop: async () => {
      await kill();
      if (!options.database) await database.drop();
    },
  };
}

function waitForListening(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output()}`)), 30_000);
    const check = () => {
      for (const line of output().split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && entry.port) {
            clearTimeout(timer);
            child.stdout?.off('data', check);
            return resolve(entry.port);
          }
        } catch {
          /* a partial line: wait for more */
        }
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${output()}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
