import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { sha256 } from './helpers/oci-layout.js';
import { basic, reg } from './helpers/registry.js';

describe('upload sessions survive a server restart', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
  });

  it('resumes a chunked upload after the process is replaced', async () => {
    const first = await startServer();
    servers.push(first);
    const token = await (await login(first)).createToken({ name: 'rw', permission: 'read-write' });
    const bytes = randomBytes(64 * 1024);
    const start = await reg(first, '/v2/restart/app/blobs/uploads/', { method: 'POST', auth: basic(token) });
    const location = start.headers.get('location') as string;
    const half = bytes.length / 2;
    const patch = await reg(first, location, { method: 'PATCH', auth: basic(token), body: bytes.subarray(0, half), headers: { 'content-range': `0-${half - 1}` } });
    expect(patch.status).toBe(202);
    await first.kill();

    const second = await startServer({ database: first.database });
    servers.push(second);
    const status = await reg(second, location, { auth: basic(token) });
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe(`0-${half - 1}`);
    const rest = await reg(second, location, { method: 'PATCH', auth: basic(token), body: bytes.subarray(half), headers: { 'content-range': `${half}-${bytes.length - 1}` } });
    expect(rest.status).toBe(202);
    const put = await reg(second, `${location}?digest=${sha256(bytes)}`, { method: 'PUT', auth: basic(token) });
    expect(put.status).toBe(201);
    const get = await reg(second, `/v2/restart/app/blobs/${sha256(bytes)}`, { auth: basic(token) });
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
