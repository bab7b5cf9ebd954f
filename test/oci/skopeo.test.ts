import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from './helpers/oci-layout.js';
import { basic, creds, reg, skopeo } from './helpers/registry.js';

describe('the real skopeo client against the registry', () => {
  let server: TestServer;
  let admin: ApiClient;
  let rw: CreatedToken;
  let ro: CreatedToken;
  let source: OciLayout;
  let image: Descriptor;
  let index: Descriptor;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    rw = await admin.createToken({ name: 'CI push', permission: 'read-write' });
    ro = await admin.createToken({ name: 'cluster pull', permission: 'read-only' });
    source = new OciLayout();
    // Layers of several MiB: the server streams them through its reused read buffers (file-range-stream.ts).
    image = await source.addImage({ layers: 3, layerBytes: 3 * 1024 * 1024 });
    source.tag(image, 'v1');
    index = await source.addIndex(['amd64', 'arm64']);
    source.tag(index, 'multi');
  });
  afterAll(() => server?.stop());

  const dest = (ref: string) => `docker://${server.host}/${ref}`;

  it('pushes a multi-layer image and an image index with a read & write token', async () => {
    const one = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(rw), `oci:${source.dir}:v1`, dest('team/app:v1')]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const all = await skopeo(['copy', '--all', '--dest-tls-verify=false', '--dest-creds', creds(rw), `oci:${source.dir}:multi`, dest('team/app:multi')]);
    expect(all.code, all.stderr).toBe(0);
  });

  it('serves the manifests as pushed: exact bytes, digest and media type', async () => {
    for (const [tag, descriptor] of [['v1', image], ['multi', index]] as const) {
      const res = await reg(server, `/v2/team/app/manifests/${tag}`, { auth: basic(ro) });
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-content-digest')).toBe(descriptor.digest);
      expect(res.headers.get('content-type')).toBe(descriptor.mediaType);
      expect(Buffer.from(await res.arrayBuffer()).equals(source.blob(descriptor.digest))).toBe(true);
    }
  });

  it('pulls everything back byte-identical with a read-only token', async () => {
    const target = new OciLayout();
    const pulled = await skopeo(['copy', '--all', '--src-tls-verify=false', '--src-creds', creds(ro), dest('team/app:multi'), `oci:${target.dir}:multi`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const got = OciLayout.resolve(target.dir, 'multi');
    expect(got.digest).toBe(index.digest);
    const manifests = (JSON.parse(source.blob(index.digest).toString()) as { manifests: Descriptor[] }).manifests;
    for (const child of manifests) {
      expect(target.blob(child.digest).equals(source.blob(child.digest))).toBe(true);
      const m = JSON.parse(source.blob(child.digest).toString()) as { config: Descriptor; layers: Descriptor[] };
      for (const blob of [m.config, ...m.layers]) expect(target.blob(blob.digest).equals(source.blob(blob.digest))).toBe(true);
    }
    const single = new OciLayout();
    const v1 = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(ro), dest('team/app:v1'), `oci:${single.dir}:v1`]);
    expect(v1.code, v1.stderr).toBe(0);
    expect(OciLayout.resolve(single.dir, 'v1').digest).toBe(image.digest);
    const m = JSON.parse(source.blob(image.digest).toString()) as { config: Descriptor; layers: Descriptor[] };
    expect(m.layers).toHaveLength(3);
    for (const blob of [m.config, ...m.layers]) {
      expect(readFileSync(join(single.dir, 'blobs', 'sha256', blob.digest.slice(7))).equals(source.blob(blob.digest))).toBe(true);
    }
  });

  it('inspects and lists tags', async () => {
    const inspect = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(ro), dest('team/app:v1')]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const info = JSON.parse(inspect.stdout) as { Digest: string; Layers: string[]; Architecture: string };
    expect(info.Digest).toBe(image.digest);
    expect(info.Layers).toHaveLength(3);
    expect(info.Architecture).toBe('amd64');
    const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(ro), dest('team/app:multi')]);
    expect(Buffer.from(raw.stdout).equals(source.blob(index.digest))).toBe(true);
    const tags = await skopeo(['list-tags', '--tls-verify=false', '--creds', creds(ro), dest('team/app')]);
    expect(tags.code, tags.stderr).toBe(0);
    expect((JSON.parse(tags.stdout) as { Tags: string[] }).Tags.sort()).toEqual(['multi', 'v1']);
  });

  it('refuses a push with a read-only token, saying the token is read-only', async () => {
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(ro), `oci:${source.dir}:v1`, dest('team/other:v1')]);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/read-only/);
    const res = await reg(server, '/v2/team/other/tags/list', { auth: basic(rw) });
    expect(res.status).toBe(404);
  });

  it('refuses deleting with a read-only token, deletes with a read & write token', async () => {
    const refused = await skopeo(['delete', '--tls-verify=false', '--creds', creds(ro), dest('team/app:v1')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/read-only/);
    const deleted = await skopeo(['delete', '--tls-verify=false', '--creds', creds(rw), dest('team/app:v1')]);
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await reg(server, `/v2/team/app/manifests/${image.digest}`, { auth: basic(ro) });
    expect(gone.status).toBe(404);
    const tags = await skopeo(['list-tags', '--tls-verify=false', '--creds', creds(ro), dest('team/app')]);
    expect((JSON.parse(tags.stdout) as { Tags: string[] }).Tags).toEqual(['multi']);
  });

  it('refuses a revoked token on its next request, and an expired one', async () => {
    const doomed = await admin.createToken({ name: 'doomed', permission: 'read-write' });
    const ok = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(doomed), dest('team/app:multi'), '--raw']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await admin.post(`/api/v1/tokens/${doomed.id}/revoke`)).status).toBe(200);
    const after = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(doomed), dest('team/app:multi'), '--raw']);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/revoked/);

    const shortLived = await admin.createToken({ name: 'short', permission: 'read-only', expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((r) => setTimeout(r, 2000));
    const expired = await skopeo(['inspect', '--tls-verify=false', '--creds', creds(shortLived), dest('team/app:multi'), '--raw']);
    expect(expired.code).not.toBe(0);
    expect(expired.stderr).toMatch(/expired/);
  });
});
