import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

/** `POST /-/v1/login` needs no credential: pending requests are capped per address (10) and in all. */
describe('a flood of npm web login requests', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { FLY_TRUST_PROXY: 'true' } });
  });
  afterAll(() => server?.stop());

  const start = (address: string) =>
    fetch(`${server.url}/npm/-/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: '{"hostname":"x"}' });

  it('stops creating pending logins for one address after 10, answering 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await start('198.51.100.7')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const refused = await start('198.51.100.7');
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: string }).error).toMatch(/pending npm login requests/);
    // Another address is not affected.
    expect((await start('198.51.100.8')).status).toBe(200);
  });
});
