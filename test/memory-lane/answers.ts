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
