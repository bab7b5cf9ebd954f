import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken } from '../helpers/api.js';
import type { TestServer } from '../helpers/server.js';
import { OCI_INDEX, OCI_MANIFEST, sha256 } from './helpers/oci-layout.js';
import { pushBlob, pushImage } from './helpers/push.js';
import { errorCode, reg, startWithWriter } from './helpers/registry.js';

describe('OCI distribution spec behaviour', () => {
  let server: TestServer;
  let rw: CreatedToken;
  let auth: string;

  beforeAll(async () => {
    ({ server, rw, auth } = await startWithWriter());
  });
  afterAll(() => server?.stop());

  const startSession = async (repo: string) => {
    const res = await reg(server, `/v2/${repo}/blobs/uploads/`, { method: 'POST', auth });
    expect(res.status).toBe(202);
    expect(res.headers.get('docker-upload-uuid')).toMatch(/^[0-9a-f-]{36}$/);
    return res.headers.get('location') as string;
  };

  it('takes a monolithic upload and serves it with GET, HEAD and ranges', async () => {
    const bytes = randomBytes(100_000);
    const digest = await pushBlob(server, rw, 'spec/mono', bytes);
    const get = await reg(server, `/v2/spec/mono/blobs/${digest}`, { auth });
    expect(get.status).toBe(200);
    expect(get.headers.get('docker-content-digest')).toBe(digest);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await reg(server, `/v2/spec/mono/blobs/${digest}`, { method: 'HEAD', auth });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('100000');
    const part = await reg(server, `/v2/spec/mono/blobs/${digest}`, { auth, headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100000');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    const tail = await reg(server, `/v2/spec/mono/blobs/${digest}`, { auth, headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(99_995))).toBe(true);
    const outside = await reg(server, `/v2/spec/mono/blobs/${digest}`, { auth, headers: { range: 'bytes=200000-' } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */100000');
  });

  it('takes a streamed upload: POST → PATCH without Content-Range → PUT ?digest=', async () => {
    const bytes = randomBytes(300_000);
    const location = await startSession('spec/streamed');
    const patch = await reg(server, location, { method: 'PATCH', auth, body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(patch.status).toBe(202);
    expect(patch.headers.get('range')).toBe('0-299999');
    const put = await reg(server, `${patch.headers.get('location')}?digest=${sha256(bytes)}`, { method: 'PUT', auth });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`/v2/spec/streamed/blobs/${sha256(bytes)}`);
    const get = await reg(server, `/v2/spec/streamed/blobs/${sha256(bytes)}`, { auth });
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('takes a chunked upload with Content-Range, refuses an out-of-order chunk with 416, reports status, accepts a last chunk on PUT', async () => {
    const bytes = randomBytes(30);
    const location = await startSession('spec/chunked');
    const chunk = (start: number, end: number) =>
      reg(server, location, {
        method: 'PATCH',
        auth,
        body: bytes.subarray(start, end + 1),
        headers: { 'content-range': `${start}-${end}`, 'content-type': 'application/octet-stream' },
      });
    expect((await chunk(0, 9)).headers.get('range')).toBe('0-9');
    const outOfOrder = await chunk(20, 29);
    expect(outOfOrder.status).toBe(416);
    expect(outOfOrder.headers.get('range')).toBe('0-9');
    expect(await errorCode(outOfOrder)).toBe('BLOB_UPLOAD_INVALID');
    const second = await chunk(10, 19);
    expect(second.status).toBe(202);
    const status = await reg(server, location, { auth });
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-19');
    const put = await reg(server, `${location}?digest=${sha256(bytes)}`, { method: 'PUT', auth, body: bytes.subarray(20) });
    expect(put.status).toBe(201);
    const get = await reg(server, `/v2/spec/chunked/blobs/${sha256(bytes)}`, { auth });
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
    // The closed session is gone.
    expect(await errorCode(await reg(server, location, { auth }))).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('cancels an upload, and keeps sessions to their own repository', async () => {
    const location = await startSession('spec/cancel');
    const id = location.split('/').pop() as string;
    const elsewhere = await reg(server, `/v2/spec/other/blobs/uploads/${id}`, { auth });
    expect(elsewhere.status).toBe(404);
    expect(await errorCode(elsewhere)).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await reg(server, location, { method: 'DELETE', auth })).status).toBe(204);
    const after = await reg(server, location, { auth });
    expect(after.status).toBe(404);
    expect(await errorCode(after)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('refuses a digest mismatch with DIGEST_INVALID and stores nothing', async () => {
    const bytes = randomBytes(1000);
    const wrong = sha256(Buffer.from('something else'));
    const mono = await reg(server, `/v2/spec/mismatch/blobs/uploads/?digest=${wrong}`, { method: 'POST', auth, body: bytes });
    expect(mono.status).toBe(400);
    expect(await errorCode(mono)).toBe('DIGEST_INVALID');
    const location = await startSession('spec/mismatch');
    await reg(server, location, { method: 'PATCH', auth, body: bytes });
    const put = await reg(server, `${location}?digest=${wrong}`, { method: 'PUT', auth });
    expect(put.status).toBe(400);
    expect(await errorCode(put)).toBe('DIGEST_INVALID');
    for (const digest of [wrong, sha256(bytes)]) {
      const head = await reg(server, `/v2/spec/mismatch/blobs/${digest}`, { auth });
      expect(head.status).toBe(404);
      expect(await errorCode(head)).toBe('BLOB_UNKNOWN');
    }
  });

  it('supports sha512 digests', async () => {
    const bytes = randomBytes(5000);
    const digest = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
    expect((await reg(server, `/v2/spec/sha512/blobs/uploads/?digest=${digest}`, { method: 'POST', auth, body: bytes })).status).toBe(201);
    const get = await reg(server, `/v2/spec/sha512/blobs/${digest}`, { auth });
    expect(get.headers.get('docker-content-digest')).toBe(digest);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('mounts a blob across repositories, and falls back to an upload session when it cannot', async () => {
    const bytes = randomBytes(2000);
    const digest = await pushBlob(server, rw, 'spec/mount-from', bytes);
    const mount = await reg(server, `/v2/spec/mount-to/blobs/uploads/?mount=${digest}&from=spec/mount-from`, { method: 'POST', auth });
    expect(mount.status).toBe(201);
    expect(mount.headers.get('location')).toBe(`/v2/spec/mount-to/blobs/${digest}`);
    expect(mount.headers.get('docker-content-digest')).toBe(digest);
    expect((await reg(server, `/v2/spec/mount-to/blobs/${digest}`, { method: 'HEAD', auth })).status).toBe(200);
    const unknown = sha256(randomBytes(10));
    const fallback = await reg(server, `/v2/spec/mount-to/blobs/uploads/?mount=${unknown}&from=spec/mount-from`, { method: 'POST', auth });
    expect(fallback.status).toBe(202);
    expect(fallback.headers.get('location')).toMatch(/^\/v2\/spec\/mount-to\/blobs\/uploads\//);
  });

  it('answers unknown blobs, manifests and repositories with their codes', async () => {
    const digest = sha256(randomBytes(10));
    await pushBlob(server, rw, 'spec/known', randomBytes(10));
    const blob = await reg(server, `/v2/spec/known/blobs/${digest}`, { auth });
    expect([blob.status, await errorCode(blob)]).toEqual([404, 'BLOB_UNKNOWN']);
    const manifest = await reg(server, '/v2/spec/known/manifests/nope', { auth });
    expect([manifest.status, await errorCode(manifest)]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const repo = await reg(server, '/v2/spec/never/tags/list', { auth });
    expect([repo.status, await errorCode(repo)]).toEqual([404, 'NAME_UNKNOWN']);
    const head = await reg(server, '/v2/spec/known/manifests/nope', { method: 'HEAD', auth });
    expect(head.status).toBe(404);
  });

  it('stores manifests by tag and digest, for OCI and Docker media types, and deletes tags and manifests', async () => {
    const image = await pushImage(server, rw, 'spec/manifests', 'v1', { layers: 2 });
    const byDigest = await reg(server, `/v2/spec/manifests/manifests/${image.digest}`, { auth });
    expect(byDigest.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(Buffer.from(await byDigest.arrayBuffer()).equals(image.bytes)).toBe(true);
    const head = await reg(server, '/v2/spec/manifests/manifests/v1', { method: 'HEAD', auth });
    expect(head.headers.get('docker-content-digest')).toBe(image.digest);
    expect(head.headers.get('content-length')).toBe(String(image.bytes.length));

    // A Docker schema 2 manifest keeps its media type and exact bytes (odd whitespace included).
    const [config, layer] = image.blobs as [string, string];
    const dockerBytes = Buffer.from(
      `{\n   "schemaVersion": 2,\n   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n   "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": ${(await (await reg(server, `/v2/spec/manifests/blobs/${config}`, { method: 'HEAD', auth })).headers.get('content-length'))}, "digest": "${config}"},\n   "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1024, "digest": "${layer}"}]\n}`,
    );
    const docker = await reg(server, '/v2/spec/manifests/manifests/docker', {
      method: 'PUT',
      auth,
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
      body: dockerBytes,
    });
    expect(docker.status, await docker.clone().text()).toBe(201);
    const dockerGet = await reg(server, '/v2/spec/manifests/manifests/docker', { auth });
    expect(dockerGet.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(Buffer.from(await dockerGet.arrayBuffer()).equals(dockerBytes)).toBe(true);

    // An index over both, pushed by digest.
    const indexBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, digest: image.digest, size: image.bytes.length, platform: { architecture: 'amd64', os: 'linux' } },
          { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: sha256(dockerBytes), size: dockerBytes.length },
        ],
      }),
    );
    const index = await reg(server, `/v2/spec/manifests/manifests/${sha256(indexBytes)}`, { method: 'PUT', auth, headers: { 'content-type': OCI_INDEX }, body: indexBytes });
    expect(index.status).toBe(201);

    // Delete a tag: the manifest stays reachable by digest.
    expect((await reg(server, '/v2/spec/manifests/manifests/v1', { method: 'DELETE', auth })).status).toBe(202);
    expect((await reg(server, '/v2/spec/manifests/manifests/v1', { auth })).status).toBe(404);
    expect((await reg(server, `/v2/spec/manifests/manifests/${image.digest}`, { auth })).status).toBe(200);
    // Delete by digest: gone, with its tags.
    await reg(server, `/v2/spec/manifests/manifests/again`, { method: 'PUT', auth, headers: { 'content-type': OCI_MANIFEST }, body: image.bytes });
    expect((await reg(server, `/v2/spec/manifests/manifests/${image.digest}`, { method: 'DELETE', auth })).status).toBe(202);
    expect(await errorCode(await reg(server, `/v2/spec/manifests/manifests/${image.digest}`, { auth }))).toBe('MANIFEST_UNKNOWN');
    expect((await reg(server, '/v2/spec/manifests/manifests/again', { auth })).status).toBe(404);
    expect((await reg(server, `/v2/spec/manifests/manifests/${image.digest}`, { method: 'DELETE', auth })).status).toBe(404);
  });

  it('paginates tags with n and last, linking to the next page', async () => {
    const image = await pushImage(server, rw, 'spec/tags', 'a');
    for (const tag of ['e', 'c', 'b', 'd']) {
      const res = await reg(server, `/v2/spec/tags/manifests/${tag}`, { method: 'PUT', auth, headers: { 'content-type': OCI_MANIFEST }, body: image.bytes });
      expect(res.status).toBe(201);
    }
    const all = await reg(server, '/v2/spec/tags/tags/list', { auth });
    expect(await all.json()).toEqual({ name: 'spec/tags', tags: ['a', 'b', 'c', 'd', 'e'] });
    const pages: string[][] = [];
    let next: string | null = '/v2/spec/tags/tags/list?n=2';
    while (next) {
      const res: Response = await reg(server, next, { auth });
      pages.push(((await res.json()) as { tags: string[] }).tags);
      const link = res.headers.get('link');
      next = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
    }
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const afterLast = await reg(server, '/v2/spec/tags/tags/list?n=10&last=c', { auth });
    expect(((await afterLast.json()) as { tags: string[] }).tags).toEqual(['d', 'e']);
    const none = await reg(server, '/v2/spec/tags/tags/list?n=0', { auth });
    expect(((await none.json()) as { tags: string[] }).tags).toEqual([]);
    const bad = await reg(server, '/v2/spec/tags/tags/list?n=-1', { auth });
    expect(bad.status).toBe(400);
  });

  it('lists referrers with artifactType filtering, and answers OCI-Subject on push', async () => {
    const subject = await pushImage(server, rw, 'spec/referrers', 'app');
    const descriptor = { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.bytes.length };
    const empty = await reg(server, `/v2/spec/referrers/referrers/${subject.digest}`, { auth });
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe(OCI_INDEX);
    expect(((await empty.json()) as { manifests: unknown[] }).manifests).toEqual([]);

    const sbom = await pushImage(server, rw, 'spec/referrers', 'sbom', { subject: descriptor, artifactType: 'application/vnd.example.sbom' });
    const sig = await pushImage(server, rw, 'spec/referrers', 'sig', { subject: descriptor, artifactType: 'application/vnd.example.signature' });
    const put = await reg(server, `/v2/spec/referrers/manifests/${sbom.digest}`, { method: 'PUT', auth, headers: { 'content-type': OCI_MANIFEST }, body: sbom.bytes });
    expect(put.headers.get('oci-subject')).toBe(subject.digest);

    const all = (await (await reg(server, `/v2/spec/referrers/referrers/${subject.digest}`, { auth })).json()) as {
      mediaType: string;
      manifests: { digest: string; artifactType: string; size: number }[];
    };
    expect(all.mediaType).toBe(OCI_INDEX);
    expect(all.manifests.map((m) => m.digest).sort()).toEqual([sbom.digest, sig.digest].sort());
    expect(all.manifests.find((m) => m.digest === sbom.digest)).toMatchObject({ artifactType: 'application/vnd.example.sbom', size: sbom.bytes.length });
    const filtered = await reg(server, `/v2/spec/referrers/referrers/${subject.digest}?artifactType=application/vnd.example.signature`, { auth });
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([sig.digest]);
    const unknownSubject = await reg(server, `/v2/spec/referrers/referrers/${sha256('nothing')}`, { auth });
    expect(unknownSubject.status).toBe(200);
    const badDigest = await reg(server, '/v2/spec/referrers/referrers/sha256:xyz', { auth });
    expect([badDigest.status, await errorCode(badDigest)]).toEqual([400, 'DIGEST_INVALID']);
  });

  it('paginates the catalog', async () => {
    const first = await reg(server, '/v2/_catalog?n=3', { auth });
    const page = (await first.json()) as { repositories: string[] };
    expect(page.repositories).toHaveLength(3);
    expect([...page.repositories].sort()).toEqual(page.repositories);
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/v2\/_catalog\?n=3&last=[^>]+>; rel="next"$/);
    const rest = (await (await reg(server, `/v2/_catalog?last=${encodeURIComponent(page.repositories[2] as string)}`, { auth })).json()) as { repositories: string[] };
    expect(rest.repositories.some((r) => page.repositories.includes(r))).toBe(false);
    expect(rest.repositories).toContain('spec/tags');
  });

  it('answers an unknown endpoint and a wrong method with spec errors', async () => {
    const unknown = await reg(server, '/v2/spec/tags/nothing-here', { auth });
    expect(unknown.status).toBe(404);
    const method = await reg(server, '/v2/spec/tags/tags/list', { method: 'DELETE', auth });
    expect(method.status).toBe(405);
    expect(await errorCode(method)).toBe('UNSUPPORTED');
    expect(method.headers.get('allow')).toBe('GET');
  });
});
