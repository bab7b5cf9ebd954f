import { randomBytes } from 'node:crypto';
import { spawnServer } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  host: string;
  port: number;
  /** The server process, for tests that kill it without warning (kill -9). */
  pid: number;
  admin: { username: string; password: string };
  database: TestDatabase;
  /** Everything the process printed so far (stdout and stderr), for log assertions. */
  output(): string;
  /**
   * Everything the process logged for the requests answered so far. Log lines reach us through a pipe, after
   * the answers: this sends one more request with a unique path and waits for its line, which comes last.
   */
  settledOutput(): Promise<string>;
  stop(): Promise<void>;
  /** Stop the process but keep the database and data dir, to start again over them. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a database (and data dir) from an earlier server, e.g. to test a restart. */
  database?: TestDatabase;
  /** Options for node itself (spawnServer's `nodeArgs`). */
  nodeArgs?: string[];
  /** The server's output into this file instead of a pipe (spawnServer's `logFile`). */
  logFile?: string;
}

/** The first admin of each database, so a restarted server is started (and logged into) with the same one. */
const adminOf = new WeakMap<TestDatabase, { username: string; password: string }>();

/** Starts `flyreg serve` from dist/ as a real process on a free port with a fresh database. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const admin = adminOf.get(database) ?? { username: 'admin', password: `pw-${randomBytes(12).toString('hex')}` };
  adminOf.set(database, admin);
  let server;
  try {
    server = await spawnServer({ databaseUrl: database.url, dataDir: database.dataDir, admin, env: options.env, nodeArgs: options.nodeArgs, logFile: options.logFile });
  } catch (error) {
    if (!options.database) await database.drop();
    throw error;
  }
  return {
    url: server.url,
    host: server.host,
    port: server.port,
    pid: server.pid,
    admin,
    database,
    output: server.output,
    settledOutput: async () => {
      const marker = `/log-barrier-${randomBytes(8).toString('hex')}`;
      await (await fetch(`${server.url}${marker}`)).arrayBuffer();
      const deadline = Date.now() + 10_000;
      while (!server.output().includes(marker)) {
        if (Date.now() > deadline) throw new Error(`the server never logged ${marker}: is the access log off?`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return server.output();
    },
    kill: async () => {
      await server.stop();
    },
    stop: async () => {
      await server.stop();
      if (!options.database) await database.drop();
    },
  };
}
