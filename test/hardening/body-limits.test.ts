import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A JSON object of about `bytes` bytes that every one of these endpoints would otherwise parse. */
function bigJson(bytes: number, fields: Record<string, string> = {}): string {
  return JSON.stringify({ ...fields, padding: 'x'.repeat(bytes) });
}

describe('body limits are per route and decided before the body is read', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  const send = (method: string, path: string, body: string, contentType = 'application/json') =>
    fetch(`${server.url}${path}`, { method, headers: { 'content-type': contentType }, body });

  it('unauthenticated npm routes refuse a 200 KiB body with 413 in npm format', async () => {
    for (const [method, path] of [
      ['POST', '/npm/-/v1/login'],
      ['PUT', '/npm/-/user/org.couchdb.user:someone'],
      ['POST', '/artifactory/api/npm/npm/-/v1/login'],
    ] as const) {
      const res = await send(method, path, bigJson(200 * 1024, { name: 'someone', password: 'x' }));
      expect(res.status, `${method} ${path}`).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/larger than this endpoint accepts/);
    }
  });

  it('the management API refuses large bodies on its public routes', async () => {
    const res = await send('POST', '/api/v1/auth/login', bigJson(200 * 1024, { username: 'admin', password: 'x' }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it("the management API's authenticated routes refuse a caller without a credential (401) before reading its body", async () => {
    for (const path of ['/api/v1/tokens', '/api/v1/environments', '/api/v1/releases']) {
      // Declares a megabyte and sends six bytes of it: only an answer given before the body can arrive.
      const answered = await new Promise<number | string>((resolve) => {
        const req = request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 1_000_000 } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', () => undefined);
        req.write('{"a":"');
        setTimeout(() => {
          resolve('no answer: the body was being read first');
          req.destroy();
        }, 5000).unref();
      });
      expect(answered, path).toBe(401);
    }
  });

  it('the PyPI upload URL never parses a non-multipart body: refused unauthenticated before reading, by content type after', async () => {
    const anonymous = await send('POST', '/pypi/', bigJson(2 * 1024 * 1024));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/^401 /);
    const writer = await (await login(server)).createToken({ name: 'body-limits', permission: 'read-write' });
    const res = await fetch(`${server.url}/pypi/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writer.token}` },
      body: bigJson(2 * 1024 * 1024),
    });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/^415 /);
  });

  it('a small login request is still answered normally', async () => {
    const res = await send('POST', '/npm/-/v1/login', JSON.stringify({ hostname: 'laptop' }));
    expect(res.status).toBe(200);
  });

  it('a client still sending a refused body reads the 413, every time', async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++) {
      const res = await send('POST', '/api/v1/auth/login', bigJson(2 * 1024 * 1024));
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual(statuses.map(() => 413));
  });

  it('a refused body that goes on and on gets its answer and a FIN, is read on for a bounded time, then cut', async () => {
    const socket = connect({ port: Number(server.url.split(':').at(-1)), host: '127.0.0.1', allowHalfOpen: true });
    await once(socket, 'connect');
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 ** 3}\r\n\r\n`);
    let answer = '';
    let serverEnded = false;
    socket.on('data', (bytes: Buffer) => (answer += bytes.toString('latin1')));
    socket.on('end', () => (serverEnded = true));
    const writeFailed = new Promise<string>((resolve) => socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message)));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sentAfterFin = 0;
    const pump = (): void => {
      while (!socket.destroyed) {
        if (serverEnded) sentAfterFin += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
    expect(await writeFailed).toMatch(/^(ECONNRESET|EPIPE)$/);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(serverEnded).toBe(true);
    // The client kept sending after the server's FIN, and the server read it until the linger time was up.
    expect(sentAfterFin).toBeGreaterThan(0);
    const after = await send('POST', '/npm/-/v1/login', JSON.stringify({ hostname: 'laptop' }));
    expect(after.status).toBe(200);
  }, 30_000);
});
