import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { basic, reg } from '../oci/helpers/registry.js';

/** Each open upload session holds disk: one token may hold FLY_OCI_MAX_UPLOADS of them at once, not unboundedly many. */
describe('OCI upload sessions per token', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let other: CreatedToken;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_OCI_MAX_UPLOADS: '3', FLY_UPLOAD_ABANDON_SECONDS: '2' } });
    const admin = await login(server);
    writer = await admin.createToken({ name: 'pusher', permission: 'read-write' });
    other = await admin.createToken({ name: 'other pusher', permission: 'read-write' });
  });
  afterAll(() => server?.stop());

  const start = (token: CreatedToken) => reg(server, '/v2/team/app/blobs/uploads/', { method: 'POST', auth: basic(token) });

  it('refuses the session past the cap with TOOMANYREQUESTS, counts per token, and frees a place on cancel and when swept', async () => {
    const opened = [];
    for (let i = 0; i < 3; i++) {
      const res = await start(writer);
      expect(res.status).toBe(202);
      opened.push(res.headers.get('location') ?? '');
    }
    const refused = await start(writer);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    const body = (await refused.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]?.code).toBe('TOOMANYREQUESTS');
    expect(body.errors[0]?.message).toContain('FLY_OCI_MAX_UPLOADS');

    // Another token has its own places.
    expect((await start(other)).status).toBe(202);

    // Cancelling one gives its place back.
    expect((await reg(server, opened[0] ?? '', { method: 'DELETE', auth: basic(writer) })).status).toBe(204);
    expect((await start(writer)).status).toBe(202);
    expect((await start(writer)).status).toBe(429);

    // Abandoned sessions are swept after FLY_UPLOAD_ABANDON_SECONDS, and their places with them.
    const deadline = Date.now() + 20_000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await start(writer)).status;
    }
    expect(status).toBe(202);
  });
});
