import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout } from '../oci/helpers/oci-layout.js';
import { basic, bearerFor, creds, reg, skopeo } from '../oci/helpers/registry.js';

/**
 * Fine-grained scopes with the real skopeo: a token scoped to `oci:team/*` pulls and pushes team/…,
 * is refused other/…, and neither the catalog nor the token service lets it see or reach other/….
 */
describe('a token scoped to oci:team/* with skopeo', () => {
  let server: TestServer;
  let admin: ApiClient;
  let pusher: CreatedToken;
  let teamReader: CreatedToken;
  let teamWriter: CreatedToken;
  let source: OciLayout;

  const at = (ref: string) => `docker://${server.host}/${ref}`;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    pusher = await admin.createToken({ name: 'seed', permission: 'read-write' });
    teamReader = await admin.createToken({ name: 'team pull', permission: 'read-only', scope: ['oci:team/*'] });
    teamWriter = await admin.createToken({ name: 'team push', permission: 'read-write', scope: ['oci:team/*'] });
    source = new OciLayout();
    source.tag(await source.addImage({ layers: 1 }), 'v1');
    for (const repo of ['team/api', 'other/api']) {
      const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(pusher), `oci:${source.dir}:v1`, at(`${repo}:v1`)]);
      expect(pushed.code, pushed.stderr).toBe(0);
    }
  });
  afterAll(() => server?.stop());

  it('the token answer carries its scope, with the actions its permission leaves', () => {
    expect(teamReader.scope).toEqual([{ protocol: 'oci', resource: 'team/*', actions: ['pull'] }]);
    expect(teamWriter.scope).toEqual([{ protocol: 'oci', resource: 'team/*', actions: ['pull', 'push', 'delete'] }]);
  });

  it('pulls team/api with skopeo', async () => {
    const target = new OciLayout();
    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(teamReader), at('team/api:v1'), `oci:${target.dir}:v1`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(OciLayout.resolve(target.dir, 'v1').digest).toBe(OciLayout.resolve(source.dir, 'v1').digest);
  });

  it('is refused other/api by skopeo (inspect and copy)', async () => {
    const inspect = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(teamReader), at('other/api:v1')]);
    expect(inspect.code).not.toBe(0);
    expect(inspect.stderr).toMatch(/unauthorized|denied|forbidden|authentication required/i);
    const target = new OciLayout();
    const copy = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(teamReader), at('other/api:v1'), `oci:${target.dir}:v1`]);
    expect(copy.code).not.toBe(0);
  });

  it('pushes inside its scope and is refused outside it (read & write scoped token)', async () => {
    const inside = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(teamWriter), `oci:${source.dir}:v1`, at('team/worker:v1')]);
    expect(inside.code, inside.stderr).toBe(0);
    const outside = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(teamWriter), `oci:${source.dir}:v1`, at('other/worker:v1')]);
    expect(outside.code).not.toBe(0);
    const tags = await reg(server, '/v2/other/worker/tags/list', { auth: basic(pusher) });
    expect(tags.status).toBe(404);
  });

  it('a read-only scoped token cannot delete even inside its scope; the read & write one is refused other/api', async () => {
    const digest = OciLayout.resolve(source.dir, 'v1').digest;
    expect((await reg(server, `/v2/team/api/manifests/${digest}`, { method: 'DELETE', auth: basic(teamReader) })).status).toBe(403);
    expect((await reg(server, `/v2/other/api/manifests/${digest}`, { method: 'DELETE', auth: basic(teamWriter) })).status).toBe(403);
    expect((await reg(server, '/v2/other/api/manifests/v1', { auth: basic(pusher) })).status).toBe(200);
  });

  it('lists only team/… in the catalog, with Basic and with a bearer token from the token service', async () => {
    const all = await reg(server, '/v2/_catalog', { auth: basic(pusher) });
    expect(((await all.json()) as { repositories: string[] }).repositories).toEqual(['other/api', 'team/api', 'team/worker']);
    const viaBasic = await reg(server, '/v2/_catalog', { auth: basic(teamReader) });
    expect(viaBasic.status).toBe(200);
    expect(((await viaBasic.json()) as { repositories: string[] }).repositories).toEqual(['team/api', 'team/worker']);
    const bearer = await bearerFor(server, teamReader, ['registry:catalog:*']);
    const viaBearer = await reg(server, '/v2/_catalog', { auth: bearer });
    expect(((await viaBearer.json()) as { repositories: string[] }).repositories).toEqual(['team/api', 'team/worker']);
  });

  it('the token service grants no action outside the scope', async () => {
    const res = await reg(server, `/v2/token?service=${server.host}&scope=repository:other/api:pull&scope=repository:team/api:pull,push`, {
      auth: basic(teamReader),
    });
    expect(res.status).toBe(200);
    const token = ((await res.json()) as { token: string }).token;
    // The bearer token's payload (signed, not secret) says what was granted: pull on team/api, nothing on other/api.
    const payload = JSON.parse(Buffer.from(token.slice(token.indexOf('_') + 1, token.lastIndexOf('.')), 'base64url').toString()) as {
      g: { repositories: Record<string, string[]> };
    };
    expect(payload.g.repositories).toEqual({ 'other/api': [], 'team/api': ['pull'] });
    const bearer = `Bearer ${token}`;
    expect((await reg(server, '/v2/team/api/manifests/v1', { auth: bearer })).status).toBe(200);
    // Forbidden, not a challenge: no other bearer token of this Fly token could reach it either.
    expect((await reg(server, '/v2/other/api/manifests/v1', { auth: bearer })).status).toBe(403);
    const wide = await bearerFor(server, teamReader, ['repository:other/api:*']);
    expect((await reg(server, '/v2/other/api/manifests/v1', { auth: wide })).status).toBe(403);
  });

  it('the Packages API lists only what the scoped token may see', async () => {
    const res = await reg(server, '/api/v1/packages', { auth: basic(teamReader) });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { packages: { name: string }[] }).packages.map((e) => e.name);
    expect(names).toEqual(['team/api', 'team/worker']);
  });
});
