import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { basic, bearerFor, errorCode, reg } from './helpers/registry.js';

/** Parses `Bearer realm="…",service="…",scope="…"`. */
function parseChallenge(header: string | null): Record<string, string> {
  expect(header).toMatch(/^Bearer /);
  const params: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[m[1] as string] = m[2] as string;
  return params;
}

describe('registry authentication: challenges, the token service, bound bearer tokens', () => {
  let server: TestServer;
  let admin: ApiClient;
  let rw: CreatedToken;
  let ro: CreatedToken;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    rw = await admin.createToken({ name: 'rw', permission: 'read-write' });
    ro = await admin.createToken({ name: 'ro', permission: 'read-only' });
    // One manifest to pull: an empty-config artifact needs a single blob.
    const config = Buffer.from('{}');
    const digest = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
    expect((await reg(server, `/v2/team/app/blobs/uploads/?digest=${digest}`, { method: 'POST', auth: basic(rw), body: config })).status).toBe(201);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.example.thing',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest, size: 2 },
      layers: [],
    });
    const put = await reg(server, '/v2/team/app/manifests/v1', {
      method: 'PUT',
      auth: basic(rw),
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    expect(put.status).toBe(201);
  });
  afterAll(() => server?.stop());

  it('never answers an anonymous GET /v2/ with 200: 401 with a Bearer challenge naming the token service', async () => {
    const res = await reg(server, '/v2/');
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('UNAUTHORIZED');
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    expect(challenge.realm).toBe(`http://localhost:${server.port}/v2/token`);
    expect(challenge.service).toBe(`localhost:${server.port}`);
    const repo = await reg(server, '/v2/team/app/manifests/v1');
    expect(parseChallenge(repo.headers.get('www-authenticate')).scope).toBe('repository:team/app:pull');
  });

  it('performs the docker login exchange: /v2/ → 401 → realm with Basic → bearer → /v2/ 200', async () => {
    const first = await reg(server, '/v2/');
    const { realm, service } = parseChallenge(first.headers.get('www-authenticate'));
    const url = new URL(realm as string);
    url.host = server.host; // the test binds 127.0.0.1; the realm says localhost
    url.search = new URLSearchParams({ account: rw.username, client_id: 'docker', offline_token: 'true', service: service as string }).toString();
    const tokenRes = await fetch(url, { headers: { authorization: basic(rw) } });
    expect(tokenRes.status).toBe(200);
    const body = (await tokenRes.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBeGreaterThanOrEqual(60);
    expect(Number.isNaN(Date.parse(body.issued_at))).toBe(false);
    const again = await reg(server, '/v2/', { auth: `Bearer ${body.token}` });
    expect(again.status).toBe(200);
    expect(again.headers.get('docker-distribution-api-version')).toBe('registry/2.0');

    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${rw.username}:flyr_not-the-token`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
  });

  it('accepts Basic credentials directly on the registry (token username, creator username or __token__)', async () => {
    for (const user of [ro.username, 'admin', '__token__']) {
      const auth = `Basic ${Buffer.from(`${user}:${ro.token}`).toString('base64')}`;
      expect((await reg(server, '/v2/team/app/manifests/v1', { auth })).status).toBe(200);
    }
    const mismatch = `Basic ${Buffer.from(`someone-else:${ro.token}`).toString('base64')}`;
    expect((await reg(server, '/v2/', { auth: mismatch })).status).toBe(401);
  });

  it("answers containerd's OAuth2 POST token request", async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: ro.username,
      password: ro.token,
      service: server.host,
      client_id: 'containerd-client',
      scope: 'repository:team/app:pull repository:team/other:pull',
    });
    const res = await reg(server, '/v2/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token: string; expires_in: number; issued_at: string };
    expect(body.access_token).toMatch(/^flyb_/);
    const pulled = await reg(server, '/v2/team/app/manifests/v1', { auth: `Bearer ${body.access_token}` });
    expect(pulled.status).toBe(200);
    expect(pulled.headers.get('docker-content-digest')).toMatch(/^sha256:/);

    const badPassword = await reg(server, '/v2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: ro.username, password: 'nope', scope: 'repository:team/app:pull' }).toString(),
    });
    expect(badPassword.status).toBe(401);
    const refresh = await reg(server, '/v2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(refresh.status).toBe(415);
    expect(await errorCode(refresh)).toBe('UNSUPPORTED');
  });

  it('limits a bearer token to the scopes it was granted (several scope parameters and space-separated scopes)', async () => {
    const bearer = await bearerFor(server, rw, ['repository:team/app:pull', 'repository:team/b:pull repository:team/c:push']);
    expect((await reg(server, '/v2/team/app/manifests/v1', { auth: bearer })).status).toBe(200);
    const elsewhere = await reg(server, '/v2/team/d/manifests/v1', { auth: bearer });
    expect(elsewhere.status).toBe(401);
    expect(parseChallenge(elsewhere.headers.get('www-authenticate')).scope).toBe('repository:team/d:pull');
    const push = await reg(server, '/v2/team/app/blobs/uploads/', { method: 'POST', auth: bearer });
    expect(push.status).toBe(401);
    expect(parseChallenge(push.headers.get('www-authenticate')).scope).toBe('repository:team/app:pull,push');
    const catalog = await reg(server, '/v2/_catalog', { auth: bearer });
    expect(catalog.status).toBe(401);
    const withCatalog = await bearerFor(server, ro, ['registry:catalog:*']);
    const listed = await reg(server, '/v2/_catalog', { auth: withCatalog });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ repositories: ['team/app'] });
  });

  it('asks a bearer token without pull on a mount source for both scopes, then mounts with the token for both', async () => {
    const digest = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
    const path = `/v2/team/mounted/blobs/uploads/?mount=${digest}&from=team/app`;
    const narrow = await bearerFor(server, rw, ['repository:team/mounted:pull,push']);
    const asked = await reg(server, path, { method: 'POST', auth: narrow });
    expect(asked.status).toBe(401);
    expect(parseChallenge(asked.headers.get('www-authenticate')).scope).toBe('repository:team/mounted:pull,push repository:team/app:pull');
    const both = await bearerFor(server, rw, [parseChallenge(asked.headers.get('www-authenticate')).scope as string]);
    const mounted = await reg(server, path, { method: 'POST', auth: both });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/team/mounted/blobs/${digest}`);
  });

  it('grants a read-only token pull only, and refuses its push with DENIED saying the token is read-only', async () => {
    const bearer = await bearerFor(server, ro, ['repository:team/app:pull,push']);
    expect((await reg(server, '/v2/team/app/manifests/v1', { auth: bearer })).status).toBe(200);
    for (const auth of [bearer, basic(ro)]) {
      const res = await reg(server, '/v2/team/app/blobs/uploads/', { method: 'POST', auth });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { errors: { code: string; message: string }[] };
      expect(body.errors[0]?.code).toBe('DENIED');
      expect(body.errors[0]?.message).toMatch(/read-only/);
      const del = await reg(server, '/v2/team/app/manifests/v1', { method: 'DELETE', auth });
      expect(del.status).toBe(403);
    }
    expect((await reg(server, '/v2/team/app/manifests/v1', { auth: basic(ro) })).status).toBe(200);
  });

  it('stops a bearer token at the next request once its Fly token is revoked', async () => {
    const doomed = await admin.createToken({ name: 'doomed', permission: 'read-write' });
    const bearer = await bearerFor(server, doomed, ['repository:team/app:pull']);
    expect((await reg(server, '/v2/team/app/manifests/v1', { auth: bearer })).status).toBe(200);
    expect((await admin.post(`/api/v1/tokens/${doomed.id}/revoke`)).status).toBe(200);
    const after = await reg(server, '/v2/team/app/manifests/v1', { auth: bearer });
    expect(after.status).toBe(401);
    const body = (await after.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/revoked/) });
    const reissue = await reg(server, '/v2/token?scope=repository:team/app:pull', { auth: basic(doomed) });
    expect(reissue.status).toBe(401);
  });

  it('refuses an expired token at the token service and its bearer tokens', async () => {
    const brief = await admin.createToken({ name: 'brief', permission: 'read-only', expiresAt: new Date(Date.now() + 1500).toISOString() });
    const bearer = await bearerFor(server, brief, ['repository:team/app:pull']);
    await new Promise((r) => setTimeout(r, 2000));
    const res = await reg(server, '/v2/team/app/manifests/v1', { auth: bearer });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/expired/);
    const token = await reg(server, '/v2/token?scope=repository:team/app:pull', { auth: basic(brief) });
    expect(token.status).toBe(401);
  });

  it('refuses forged and tampered bearer tokens', async () => {
    const bearer = await bearerFor(server, ro, ['repository:team/app:pull']);
    const [body, sig] = bearer.slice('Bearer '.length).split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body.slice(5), 'base64url').toString()) as { g: { repositories: Record<string, string[]> } };
    payload.g.repositories['team/app'] = ['pull', 'push', 'delete'];
    const forged = `Bearer flyb_${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect((await reg(server, '/v2/team/app/manifests/v1', { auth: forged })).status).toBe(401);
    expect((await reg(server, '/v2/', { auth: 'Bearer flyb_garbage' })).status).toBe(401);
  });

  it('ignores session cookies on the registry (no cross-site pushes)', async () => {
    const res = await reg(server, '/v2/', { headers: { cookie: `fly_session=${admin.bearer ?? ''}` } });
    expect(res.status).toBe(401);
  });

  it('keeps tokens and bearer tokens out of the logs', async () => {
    const logs = await server.settledOutput();
    expect(logs).not.toContain(rw.token);
    expect(logs).not.toContain(ro.token);
    expect(logs).not.toMatch(/flyb_[A-Za-z0-9_-]{20,}/);
  });
});
