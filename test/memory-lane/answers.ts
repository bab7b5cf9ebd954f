import { expect } from 'vitest';
import { redactString } from '../../src/http/redact.js';
import type { ApiClient, CreatedToken } from '../helpers/api.js';
import type { TestServer } from '../helpers/server.js';

/** What a client sees of an answer: status, headers (but those that move between any two answers) and bytes. */
export interface Seen {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers that differ between any two answers, whoever sends them. */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive']);

export async function seen(res: Response): Promise<Seen> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (!PER_ANSWER.has(key)) headers[key] = value;
  });
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** How many requests for `path` the memory lane answered, by the access log (`"from":"memory"`). */
export async function answeredFromMemory(server: TestServer, path: string): Promise<number> {
  const lines = (await server.settledOutput()).split('\n').filter((l) => l.includes('"msg":"request"') && l.includes('"from":"memory"'));
  return lines.filter((l) => (JSON.parse(l) as { url: string }).url === path).length;
}

/** A real client run against the server, and the one request of its that the memory lane must answer. */
export interface RealClient {
  /** The path the client requests (as the access log shows it). */
  path: string;
  /** Headers of a request for the same path that keeps its answer in memory while the client starts. */
  warmHeaders: Record<string, string>;
  run(): Promise<{ code: number | null; stdout: string; stderr?: string }>;
  /** Checks what the client printed. */
  check(stdout: string): void;
  /** Checks what the client printed when refused (stdout and stderr), beyond its failing. */
  refused?(output: string): void;
}

/**
 * Sends each client's request, with a query the log tells apart, every 100 ms: the answer the lane needs stays
 * in memory while a client starts. `credentials` replace the clients' own (another token's), when given.
 */
function keepWarm(server: TestServer, clients: readonly RealClient[], credentials: Record<string, string> = {}): () => void {
  const timer = setInterval(() => {
    for (const client of clients) void fetch(`${server.url}${client.path}?warm`, { headers: { ...client.warmHeaders, ...credentials } }).catch(() => undefined);
  }, 100);
  return () => clearInterval(timer);
}

/**
 * Runs the client until the access log shows its request answered from memory. The caches a memory answer
 * needs are fresh for a second or two, and a client takes about that long to start: the same request, with
 * a query the log tells apart, keeps them fresh while the client runs, and a run that still found them stale
 * is tried again (at most three times). Fails when the lane answered none of them, or the client failed.
 */
export async function expectServedFromMemory(server: TestServer, client: RealClient): Promise<void> {
  const stop = keepWarm(server, [client]);
  try {
    const before = await answeredFromMemory(server, client.path);
    const outputs: string[] = [];
    for (let attempt = 0; attempt < 3 && (await answeredFromMemory(server, client.path)) === before; attempt++) {
      const result = await client.run();
      // What the client printed, with anything shaped like a credential masked (the log's own redaction).
      expect(result.code, `${client.path}: ${redactString(`${result.stdout}${result.stderr ?? ''}`)}`).toBe(0);
      outputs.push(result.stdout);
    }
    expect(await answeredFromMemory(server, client.path), `${client.path} answered from memory`).toBeGreaterThan(before);
    client.check(outputs.at(-1) ?? '');
  } finally {
    stop();
  }
}

/**
 * Revokes the clients' token, then runs each client again while another token (`otherCredentials`, the
 * Authorization header its protocol takes) keeps their answers in memory: the revocation must hold on the very
 * next request, in the memory lane too. Each client fails without printing the secret, and the lane answers
 * none of its requests.
 */
export async function expectRefusedOnceRevoked(server: TestServer, admin: ApiClient, token: CreatedToken, clients: readonly RealClient[], otherCredentials: Record<string, string>): Promise<void> {
  const stop = keepWarm(server, clients, otherCredentials);
  try {
    const before = await Promise.all(clients.map((client) => answeredFromMemory(server, client.path)));
    expect((await admin.post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
    for (const [i, client] of clients.entries()) {
      const refused = await client.run();
      const output = `${refused.stdout}${refused.stderr ?? ''}`;
      // The secret check comes first: the next message shows the output.
      expect(output.includes(token.token), `${client.path} printed the secret`).toBe(false);
      expect(refused.code, `${client.path}: ${output}`).not.toBe(0);
      client.refused?.(output);
      expect(await answeredFromMemory(server, client.path), `${client.path} answered from memory after the revoke`).toBe(before[i]);
    }
  } finally {
    stop();
  }
}
