import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Malformed or abandoned multipart uploads: PyPI's plain-text 400, and nothing logged as an unhandled error. */
describe('PyPI upload with a malformed multipart body', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  let admin: Awaited<ReturnType<typeof login>>;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    const token = await admin.createToken({ name: 'uploader', permission: 'read-write' });
    auth = basicAuth('__token__', token.token);
  });
  afterAll(() => server?.stop());

  const upload = (contentType: string, body: string) =>
    fetch(`${server.url}/pypi/`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });

  const start = (boundary: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="demo-1.0.tar.gz"\r\nContent-Type: application/octet-stream\r\n\r\n`;

  it.each([
    ['no boundary parameter', 'multipart/form-data', 'hello'],
    ['an empty boundary', 'multipart/form-data; boundary=', 'hello'],
    ['garbage instead of parts', 'multipart/form-data; boundary=XyZ', 'this is not multipart at all'],
    ['a body that ends inside a file part', 'multipart/form-data; boundary=XyZ', `${start('XyZ')}${'a'.repeat(5000)}`],
    ['a part without headers end', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="a"'],
    ['a malformed part header', 'multipart/form-data; boundary=XyZ', '--XyZ\r\n\u0001\u0002: \r\n\r\nx\r\n--XyZ--\r\n'],
  ])('%s → 400 in PyPI format', async (_what, contentType, body) => {
    const res = await upload(contentType, body);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^400 /);
  });

  /** One request in one write, so the whole body is at the server before its handler reads the form; its status line. */
  const sentWhole = (headers: Record<string, string>, body: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
      const head = Object.entries({ host: server.host, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...headers });
      socket.write(`POST /pypi/ HTTP/1.1\r\n${head.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`);
    });

  it('a truncated form that arrived whole while the guard looked its token up → 400, not the parser’s error as a 500', async () => {
    // A token used for the first time is looked up in the database (on PostgreSQL, a real wait): meanwhile the
    // short body arrives, and the form is parsed, and fails, at once, before the handler holds its file part.
    for (let i = 0; i < 3; i++) {
      const fresh = await admin.createToken({ name: `first-use-${i}`, permission: 'read-write' });
      const status = await sentWhole({ ...basicAuth('__token__', fresh.token), 'content-type': 'multipart/form-data; boundary=XyZ' }, `${start('XyZ')}${'a'.repeat(100)}`);
      expect(status).toMatch(/^HTTP\/1.1 400 Invalid upload: the multipart form is malformed/);
    }
  });

  it('a client abandoning its upload mid-file is not an unhandled error', async () => {
    const boundary = 'AbortBoundary';
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}/pypi/`, {
        method: 'POST',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('error', () => resolve());
      req.write(start(boundary));
      req.write(Buffer.alloc(256 * 1024, 1), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 200));
    });
    const log = await server.settledOutput();
    expect(log).not.toMatch(/unhandled error|"level":50/);
  });

  it('logged no unhandled error or stack trace for any of them', async () => {
    const log = await server.settledOutput();
    expect(log).not.toMatch(/unhandled error|"level":50|"stack"/);
  });
});
