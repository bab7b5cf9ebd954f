import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmTarball, publishBody } from '../support/npm-fixtures.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { buildWheel } from '../support/python-dists.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, reg } from '../oci/helpers/registry.js';

/** Load: concurrent writers to one image, one npm package and one PyPI project. No lost write, no 5xx. */
describe('concurrent writes to the same artifact', () => {
  let server: TestServer;
  let writer: CreatedToken;
  const dir = mkdtempSync(join(tmpdir(), 'concurrent-writes-'));

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'load', permission: 'read-write' });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('6 clients push images to one repository at once, each under its own tag and all to one shared tag', async () => {
    const pushes = await Promise.all(Array.from({ length: 6 }, (_, i) => pushImage(server, writer, 'load/app', `client-${i}`, { layers: 3 })));
    for (const [i, pushed] of pushes.entries()) {
      const res = await reg(server, `/v2/load/app/manifests/client-${i}`, { auth: basic(writer), headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(pushed.bytes)).toBe(true);
      for (const blob of pushed.blobs) expect((await reg(server, `/v2/load/app/blobs/${blob}`, { method: 'HEAD', auth: basic(writer) })).status).toBe(200);
    }
    // The same manifest pushed by all at once: every push succeeds, one manifest results.
    const same = pushes[0];
    if (!same) throw new Error('no push');
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () =>
        reg(server, '/v2/load/app/manifests/shared', { method: 'PUT', auth: basic(writer), headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: same.bytes }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(6).fill(201));
    const tags = (await (await reg(server, '/v2/load/app/tags/list', { auth: basic(writer) })).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual([...Array.from({ length: 6 }, (_, i) => `client-${i}`), 'shared'].sort());
  });

  it('8 versions of one npm package published at once are all kept', async () => {
    const registry = `${server.url}/npm/`;
    const versions = Array.from({ length: 8 }, (_, i) => `1.${i}.0`);
    const statuses = await Promise.all(
      versions.map(async (version) => {
        const manifest = { name: 'load-pkg', version };
        const pkg = { name: 'load-pkg', version, manifest, tarball: npmTarball(manifest, { 'x.bin': randomBytes(512) }) };
        const body = publishBody(pkg, registry);
        (body as { 'dist-tags': Record<string, string> })['dist-tags'] = { [`line${version.split('.')[1]}`]: version };
        const res = await fetch(`${registry}load-pkg`, { method: 'PUT', headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return res.status;
      }),
    );
    // A publish that loses the race to create the package is run again by core: every version lands.
    expect(statuses).toEqual(Array(8).fill(201));
    const packument = (await (await fetch(`${registry}load-pkg`, { headers: { authorization: `Bearer ${writer.token}` } })).json()) as {
      _rev: string;
      versions: Record<string, unknown>;
      'dist-tags': Record<string, string>;
    };
    expect(Object.keys(packument.versions).sort()).toEqual([...versions].sort());
    // Each publish moved the revision on by one (none overwrote another's), and each kept its own tag.
    expect(packument._rev.split('-')[0]).toBe('8');
    for (const version of versions) expect(packument['dist-tags'][`line${version.split('.')[1]}`]).toBe(version);
  });

  it('6 versions of one PyPI project uploaded at once are all kept', async () => {
    const wheels = await Promise.all(Array.from({ length: 6 }, (_, i) => buildWheel(dir, { name: 'load-project', version: `2.${i}` })));
    const results = await Promise.all(wheels.map((wheel) => uploadDistribution(server.url, writer.username, writer.token, wheel)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const project = (await (await fetch(`${server.url}/pypi/pypi/load-project/json`, { headers: { authorization: `Bearer ${writer.token}` } })).json()) as { releases: Record<string, unknown> };
    expect(Object.keys(project.releases).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `2.${i}`));
  });
});
