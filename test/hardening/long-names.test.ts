import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBenchPackages, publishAll } from '../support/npm-fixtures.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** npm allows names up to 214 characters; Fastify's default parameter limit (100) answered 414. */
describe('npm package names of 101-214 characters', () => {
  let server: TestServer;
  let writer: CreatedToken;

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'long', permission: 'read-write' });
  });
  afterAll(() => server?.stop());

  it('publishes and installs metadata and tarball of a 214-character name', async () => {
    const registry = `${server.url}/npm/`;
    const [pkg] = await makeBenchPackages(1, 'p'.repeat(211));
    if (!pkg) throw new Error('no package');
    expect(pkg.name).toHaveLength(214);
    await publishAll(registry, writer.token, [pkg]);
    const auth = { authorization: `Bearer ${writer.token}` };
    const packument = await fetch(`${registry}${pkg.name}`, { headers: auth });
    expect(packument.status).toBe(200);
    const tarball = await fetch(`${registry}${pkg.name}/-/${pkg.name}-1.0.0.tgz`, { headers: auth });
    expect(tarball.status).toBe(200);
    expect(Buffer.from(await tarball.arrayBuffer()).equals(pkg.tarball)).toBe(true);
  });

  it('a 215-character name is refused by npm rules (400/404), not by the router (414)', async () => {
    const res = await fetch(`${server.url}/npm/${'q'.repeat(215)}`, { headers: { authorization: `Bearer ${writer.token}` } });
    expect([400, 404]).toContain(res.status);
  });
});
