import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Malformed or abandoned multipart uploads: PyPI's plain-text 400, and nothing logged as an unhandled error. */
describe('PyPI upload with a malformed multipart body', () => {
  let server: TestServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await startServer();
    const token = await (await login(server)).createToken({ name: 'uploader', permission: 'read-write' });
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
