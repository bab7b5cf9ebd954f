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
});
