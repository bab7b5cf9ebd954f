import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken } from '../helpers/api.js';
import type { TestServer } from '../helpers/server.js';
import { OCI_CONFIG, OCI_MANIFEST, sha256 } from './helpers/oci-layout.js';
import { pushBlob } from './helpers/push.js';
import { errorCode, reg, startWithWriter } from './helpers/registry.js';

/** A request with the path sent exactly as written (fetch would normalise `..`). */
function raw(server: TestServer, method: string, path: string, auth: string): Promise<{ status: number; code: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { authorization: auth } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { errors?: { code: string }[] }).errors?.[0]?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every regular file under a directory. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('bad input gets a clear spec error and stores nothing', () => {
  let server: TestServer;
  let rw: CreatedToken;
  let auth: string;
  let config: { mediaType: string; digest: string; size: number };

  beforeAll(async () => {
    ({ server, rw, auth } = await startWithWriter());
    const bytes = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    config = { mediaType: OCI_CONFIG, digest: await pushBlob(server, rw, 'bad/base', bytes), size: bytes.length };
  });
  afterAll(() => server?.stop());

  /** `contentType: null` sends none (a Buffer body keeps fetch from adding text/plain). */
  const putManifest = (repo: string, ref: string, body: string | Buffer, contentType: string | null = OCI_MANIFEST) =>
    reg(server, `/v2/${repo}/manifests/${ref}`, { method: 'PUT', auth, body: Buffer.from(body), headers: contentType ? { 'content-type': contentType } : {} });

  const expectNothingAt = async (repo: string, tag: string) => {
    const res = await reg(server, `/v2/${repo}/manifests/${tag}`, { auth });
    expect(res.status).toBe(404);
    const tags = await reg(server, `/v2/${repo}/tags/list`, { auth });
    if (tags.status === 200) expect(((await tags.json()) as { tags: string[] }).tags).not.toContain(tag);
  };

  it('refuses malformed manifests with MANIFEST_INVALID', async () => {
    const cases: [string, string][] = [
      ['not json', '{"schemaVersion": 2, '],
      ['not an object', '[1,2,3]'],
      ['wrong schema version', JSON.stringify({ schemaVersion: 1, mediaType: OCI_MANIFEST, config, layers: [] })],
      ['no config', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] })],
      ['bad descriptor digest', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, digest: 'sha256:nothex' }, layers: [] })],
      ['negative size', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, size: -1 }, layers: [] })],
      ['size mismatch', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, size: config.size + 1 }, layers: [] })],
      ['invalid UTF-8', '\xff\xfe'],
    ];
    for (const [why, body] of cases) {
      const res = await putManifest('bad/base', 'broken', Buffer.from(body, why === 'invalid UTF-8' ? 'latin1' : 'utf8'));
      expect([why, res.status, await errorCode(res)]).toEqual([why, 400, 'MANIFEST_INVALID']);
    }
    await expectNothingAt('bad/base', 'broken');
  });

  it('refuses wrong or missing media types', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] });
    const plain = await putManifest('bad/base', 'types', manifest, 'text/plain');
    expect([plain.status, await errorCode(plain)]).toEqual([400, 'MANIFEST_INVALID']);
    const mismatch = await putManifest('bad/base', 'types', manifest, 'application/vnd.oci.image.index.v1+json');
    expect([mismatch.status, await errorCode(mismatch)]).toEqual([400, 'MANIFEST_INVALID']);
    const none = await putManifest('bad/base', 'types', JSON.stringify({ schemaVersion: 2, config, layers: [] }), null);
    expect([none.status, await errorCode(none)]).toEqual([400, 'MANIFEST_INVALID']);
    const schema1 = await putManifest('bad/base', 'types', '{"schemaVersion":1}', 'application/vnd.docker.distribution.manifest.v1+prettyjws');
    expect([schema1.status, await errorCode(schema1)]).toEqual([415, 'UNSUPPORTED']);
    await expectNothingAt('bad/base', 'types');
  });

  it('refuses manifests that reference blobs or manifests the repository lacks, creating nothing', async () => {
    const missing = sha256(randomBytes(8));
    const res = await putManifest('bad/fresh', 'v1', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, digest: missing }, layers: [] }));
    expect([res.status, await errorCode(res)]).toEqual([400, 'MANIFEST_BLOB_UNKNOWN']);
    // The config exists in bad/base, but a blob of another repository does not count.
    const other = await putManifest('bad/fresh', 'v1', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] }));
    expect(await errorCode(other)).toBe('MANIFEST_BLOB_UNKNOWN');
    const index = await putManifest(
      'bad/base',
      'idx',
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: OCI_MANIFEST, digest: missing, size: 10 }] }),
      'application/vnd.oci.image.index.v1+json',
    );
    expect(await errorCode(index)).toBe('MANIFEST_BLOB_UNKNOWN');
    const tags = await reg(server, '/v2/bad/fresh/tags/list', { auth });
    expect([tags.status, await errorCode(tags)]).toEqual([404, 'NAME_UNKNOWN']);
    const catalog = (await (await reg(server, '/v2/_catalog', { auth })).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual(['bad/base']);
  });

  it('refuses a manifest over 4 MiB with 413 without storing it', async () => {
    const before = files(join(server.database.dataDir, 'blobs')).length;
    const huge = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [], annotations: { pad: 'x'.repeat(4 * 1024 * 1024) } });
    const res = await putManifest('bad/base', 'huge', huge);
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('MANIFEST_INVALID');
    await expectNothingAt('bad/base', 'huge');
    expect(files(join(server.database.dataDir, 'blobs')).length).toBe(before);
  });

  it('refuses a manifest pushed under a digest that is not its own', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] });
    const wrong = sha256('other');
    const res = await putManifest('bad/base', wrong, manifest);
    expect([res.status, await errorCode(res)]).toEqual([400, 'DIGEST_INVALID']);
    expect((await reg(server, `/v2/bad/base/manifests/${sha256(manifest)}`, { auth })).status).toBe(404);
  });

  it('refuses traversal attempts and invalid names, tags, digests and upload ids', async () => {
    const cases: [string, string, number, string][] = [
      ['GET', '/v2/../../etc/passwd/manifests/latest', 400, 'NAME_INVALID'],
      ['GET', '/v2/bad/..%2f..%2fetc/manifests/latest', 400, 'NAME_INVALID'],
      ['GET', '/v2/bad/%2e%2e/manifests/latest', 400, 'NAME_INVALID'],
      ['GET', '/v2/Bad/Upper/manifests/latest', 400, 'NAME_INVALID'],
      ['GET', '/v2/bad//double/manifests/latest', 400, 'NAME_INVALID'],
      ['GET', `/v2/${'a'.repeat(300)}/manifests/latest`, 400, 'NAME_INVALID'],
      ['PUT', '/v2/bad/base/manifests/-starts-with-dash', 400, 'TAG_INVALID'],
      ['PUT', `/v2/bad/base/manifests/${'t'.repeat(129)}`, 400, 'TAG_INVALID'],
      ['GET', '/v2/bad/base/manifests/sha256:..%2f..%2fetc', 400, 'DIGEST_INVALID'],
      ['GET', '/v2/bad/base/blobs/sha256:..', 400, 'DIGEST_INVALID'],
      ['GET', '/v2/bad/base/blobs/sha256:../../../../etc/passwd', 404, 'UNSUPPORTED'],
      ['GET', '/v2/bad/base/blobs/md5:d41d8cd98f00b204e9800998ecf8427e', 400, 'DIGEST_INVALID'],
      ['GET', `/v2/bad/base/blobs/sha256:${'A'.repeat(64)}`, 400, 'DIGEST_INVALID'],
      ['GET', '/v2/bad/base/blobs/uploads/..%2f..%2f..%2fetc', 404, 'BLOB_UPLOAD_UNKNOWN'],
      ['PATCH', '/v2/bad/base/blobs/uploads/00000000-0000-0000-0000-000000000000', 404, 'BLOB_UPLOAD_UNKNOWN'],
      ['POST', '/v2/bad/base/blobs/uploads/?digest=sha256:short', 400, 'DIGEST_INVALID'],
      ['POST', '/v2/bad/base/blobs/uploads/?mount=sha256:nothex&from=bad/base', 400, 'DIGEST_INVALID'],
    ];
    for (const [method, path, status, code] of cases) {
      const res = await raw(server, method, path, auth);
      expect([path.slice(0, 60), res.status, res.code]).toEqual([path.slice(0, 60), status, code]);
    }
    const catalog = (await (await reg(server, '/v2/_catalog', { auth })).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual(['bad/base']);
  });
});
