import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login } from '../helpers/api.js';
import { runTool } from '../helpers/run-tool.js';
import { startServer, type TestServer } from '../helpers/server.js';

function open(server: TestServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true when the server closes the socket within `ms`, false otherwise (the socket is then destroyed). */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readableEnded) return resolve(true);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('close', done);
    socket.once('end', done);
    socket.on('error', () => undefined);
    socket.resume();
  });
}

/** Sends one whole keep-alive request and waits for its answer's first bytes. */
async function requestOnce(socket: Socket, path: string): Promise<string> {
  const answer = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n`);
  return answer;
}

/** A 32 MiB generic file at `/generic/<name>/1.0/big.bin`, and a read-write token's Basic header to read it with. */
async function putBigFile(server: TestServer, name: string): Promise<{ auth: string; size: number }> {
  const writer = await (await login(server)).createToken({ name, permission: 'read-write' });
  const auth = basicAuth(writer.username, writer.token).authorization as string;
  const size = 32 * 1024 * 1024;
  const put = await fetch(`${server.url}/generic/${name}/1.0/big.bin`, { method: 'PUT', headers: { authorization: auth }, body: Buffer.alloc(size, 7) });
  expect(put.status).toBe(201);
  return { auth, size };
}

describe('connection timeouts', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_HEADERS_TIMEOUT: '2', FLY_KEEP_ALIVE_TIMEOUT: '1', FLY_SOCKET_TIMEOUT: '2' } });
  });
  afterAll(() => server?.stop());

  it('a client dribbling its headers is disconnected after the headers timeout', async () => {
    const socket = await open(server);
    socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n');
    const dribble = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
    try {
      expect(await closedWithin(socket, 8000)).toBe(true);
    } finally {
      clearInterval(dribble);
    }
  });

  it('a request whose body stops arriving is disconnected after the socket timeout', async () => {
    const socket = await open(server);
    // Whole headers (so the headers timeout is over) and a tenth of the body, then nothing.
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":`);
    expect(await closedWithin(socket, 8000)).toBe(true);
  });

  it('a body that keeps arriving, however slowly, is not cut by the socket timeout: the idle time is what counts', async () => {
    const socket = await open(server);
    const body = JSON.stringify({ username: 'nobody', password: 'not-the-password' });
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    // A byte every 400 ms for 4.5 s in all (over twice the 2 s timeout), then the rest.
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 4500 && sent < body.length - 1) {
      socket.write(body.slice(sent, ++sent));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    socket.write(body.slice(sent));
    expect(await closedWithin(socket, 8000)).toBe(true);
    expect(answer).toMatch(/^HTTP\/1.1 401 /);
  });

  it('an answer the client stops reading is cut after the socket timeout', async () => {
    const { auth, size } = await putBigFile(server, 'stall');
    const socket = await open(server);
    socket.pause();
    socket.write(`GET /generic/stall/1.0/big.bin HTTP/1.1\r\nHost: test\r\nAuthorization: ${auth}\r\n\r\n`);
    // Read nothing for over twice the 2 s timeout: the socket buffers fill, then nothing moves.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    // What the buffers held arrives, then the end: far short of the whole file.
    expect(await closedWithin(socket, 8000)).toBe(true);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(size);
  });

  it('a download that keeps moving, however slowly, is read whole: curl at 8 MB/s takes twice the socket timeout for 32 MiB', async () => {
    const { auth, size } = await putBigFile(server, 'slow');
    // The credential goes to curl in a file, so no command line (or failure message) shows it.
    const work = mkdtempSync(join(tmpdir(), 'fly-slow-download-'));
    try {
      writeFileSync(join(work, 'auth-header'), `Authorization: ${auth}\n`, { mode: 0o600 });
      const run = await runTool('curl', ['-sS', '--fail', '-H', `@${join(work, 'auth-header')}`, '--limit-rate', '8M', '-o', '/dev/null', '-w', '%{size_download}', `${server.url}/generic/slow/1.0/big.bin`], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work },
        timeoutMs: 60_000,
      });
      expect({ code: run.code, stderr: run.stderr, downloaded: Number(run.stdout) }).toEqual({ code: 0, stderr: '', downloaded: size });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const socket = await open(server);
    expect(await requestOnce(socket, '/healthz')).toMatch(/^HTTP\/1.1 200/);
    expect(await closedWithin(socket, 6000)).toBe(true);
  });
});

describe('SIGTERM', () => {
  it('closes idle connections at once, cuts requests in flight at the deadline, flushes and exits', async () => {
    // A long keep-alive timeout: only the shutdown itself may close the idle connection.
    const server = await startServer({ env: { FLY_SHUTDOWN_TIMEOUT: '2', FLY_KEEP_ALIVE_TIMEOUT: '300' } });
    try {
      const idle = await open(server);
      expect(await requestOnce(idle, '/healthz')).toMatch(/^HTTP\/1.1 200/);
      const idleClosed = closedWithin(idle, 5000);

      // A request whose body never finishes arriving: in flight until the deadline.
      const stalled = await open(server);
      stalled.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user');
      const stalledClosed = closedWithin(stalled, 9000);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const started = Date.now();
      await server.kill();
      const elapsed = Date.now() - started;
      expect(await idleClosed).toBe(true);
      expect(await stalledClosed).toBe(true);
      // stop() sends SIGKILL after 10 s: exiting well before means the shutdown ended by itself.
      expect(elapsed).toBeLessThan(8000);
      expect(server.output()).toContain('shutdown deadline reached');
    } finally {
      await server.stop();
    }
  });

  it('a request in flight at SIGTERM that finishes before the deadline is answered with Connection: close', async () => {
    const server = await startServer({ env: { FLY_SHUTDOWN_TIMEOUT: '5', FLY_KEEP_ALIVE_TIMEOUT: '300' } });
    try {
      const finishing = await open(server);
      const body = JSON.stringify({ username: 'nobody', password: 'wrong-password' });
      finishing.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = new Promise<string>((resolve) => finishing.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      const stopped = server.kill();
      await new Promise((resolve) => setTimeout(resolve, 300));
      finishing.write(body.slice(5));
      const head = await answer;
      expect(head).toMatch(/^HTTP\/1.1 401/);
      expect(head.toLowerCase()).toContain('connection: close');
      expect(await closedWithin(finishing, 3000)).toBe(true);
      await stopped;
      expect(server.output()).not.toContain('shutdown deadline reached');
    } finally {
      await server.stop();
    }
  });
});
