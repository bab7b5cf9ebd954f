import { expect } from 'vitest';
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
}

/**
 * Runs the client until the access log shows its request answered from memory. The caches a memory answer
 * needs are fresh for a second or two, and a client takes about that long to start: the same request, with
 * a query the log tells apart, keeps them fresh while the client runs, and a run that still found them stale
 * is tried again (at most three times). Fails when the lane answered none of them, or the client failed.
 */
export async function expectServedFromMemory(server: TestServer, client: RealClient): Promise<void> {
  const warm = setInterval(() => void fetch(`${server.url}${client.path}?warm`, { headers: client.warmHeaders }).catch(() => undefined), 100);
  try {
    const before = await answeredFromMemory(server, client.path);
    const outputs: string[] = [];
    for (let attempt = 0; attempt < 3 && (await answeredFromMemory(server, client.path)) === before; attempt++) {
      const result = await client.run();
      expect(result.code, client.path).toBe(0);
      outputs.push(result.stdout);
    }
    expect(await answeredFromMemory(server, client.path), `${client.path} answered from memory`).toBeGreaterThan(before);
    client.check(outputs.at(-1) ?? '');
  } finally {
    clearInterval(warm);
  }
}
