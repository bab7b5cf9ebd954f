import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openUploads } from '../pypi/uploads.js';
import { basic, reg } from '../oci/helpers/registry.js';

/** An upload session abandoned mid-push gives its disk space back after FLY_UPLOAD_ABANDON_SECONDS. */
describe('abandoned upload sessions', () => {
  let server: TestServer;
  let writer: CreatedToken;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_UPLOAD_ABANDON_SECONDS: '2' } });
    writer = await (await login(server)).createToken({ name: 'pusher', permission: 'read-write' });
  });
  afterAll(() => server?.stop());

  it('report where to resume, and are swept soon after they go quiet', async () => {
    const start = await reg(server, '/v2/team/app/blobs/uploads/', { method: 'POST', auth: basic(writer) });
    expect(start.status).toBe(202);
    const location = start.headers.get('location') ?? '';
    const chunk = randomBytes(64 * 1024);
    const patch = await reg(server, location, { method: 'PATCH', auth: basic(writer), headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${chunk.length - 1}` }, body: chunk });
    expect(patch.status).toBe(202);
    // Resume rule: the status request tells where to continue.
    const status = await reg(server, location, { auth: basic(writer) });
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe(`0-${chunk.length - 1}`);
    expect(openUploads(server)).toHaveLength(1);

    const deadline = Date.now() + 20_000;
    while (openUploads(server).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(openUploads(server)).toHaveLength(0);
    expect((await reg(server, location, { auth: basic(writer) })).status).toBe(404);
  });
});
