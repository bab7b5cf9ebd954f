import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/sql/database.js';
import { SqlMetadataStore } from '../../src/storage/sql/metadata-store.js';
import { ApiClient, login, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { creds, skopeo } from '../oci/helpers/registry.js';

interface Release {
  id: number;
  name: string;
  version: string;
  artifacts: Record<string, string>[];
  source: Record<string, string | null>;
  notes: string | null;
  createdBy: string;
}
type ValidationError = ApiErrorBody & { error: { details?: { issues?: { path: string; message: string }[] } } };

describe('releases through the management API', () => {
  let server: TestServer;
  let admin: ApiClient;
  let ci: ApiClient;
  let ciToken: CreatedToken;
  let image: Descriptor;
  const missingDigest = `sha256:${'0'.repeat(64)}`;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    ciToken = await admin.createToken({ name: 'CI', permission: 'read-write' });
    ci = new ApiClient(server, ciToken.token);
    const layout = new OciLayout();
    image = await layout.addImage({ layers: 1 });
    layout.tag(image, 'v1');
    const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(ciToken), `oci:${layout.dir}:v1`, `docker://${server.host}/shop/api:v1`]);
    if (pushed.code !== 0) throw new Error(pushed.stderr);

    // npm and PyPI publishing live in their own protocols: put packages straight into the shared package model.
    const store = new SqlMetadataStore(openDatabase(server.database.url));
    const now = new Date();
    const web = await store.packages.ensure('npm', '@shop/web', '@shop/web', now);
    await store.packages.insertVersion(web.id, '1.4.0', '{}', now);
    const sdk = await store.packages.ensure('pypi', 'shop-sdk', 'Shop_SDK', now);
    await store.packages.insertVersion(sdk.id, '2.0.1', '{}', now);
    await store.close();
  });
  afterAll(() => server?.stop());

  const body = (version: string, extra: Record<string, unknown> = {}) => ({
    name: 'shop',
    version,
    artifacts: [
      { type: 'oci', repository: 'shop/api', digest: image.digest },
      { type: 'npm', name: '@shop/web', version: '1.4.0' },
      // PyPI names compare PEP 503-normalised, versions PEP 440-normalised.
      { type: 'pypi', name: 'Shop.SDK', version: 'v2.0.1' },
    ],
    source: { commit: 'a1b2c3d', branch: 'main', pr: 42, author: 'dana', url: 'https://ci.example.com/runs/7' },
    notes: 'First cut.\nWith a line break.',
    ...extra,
  });

  it('records a release with a read & write token, verifying each artifact exists', async () => {
    const res = await ci.post<Release>('/api/v1/releases', body('1.0.0'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: 'shop',
      version: '1.0.0',
      source: { commit: 'a1b2c3d', branch: 'main', pr: '42', author: 'dana', url: 'https://ci.example.com/runs/7' },
      notes: 'First cut.\nWith a line break.',
      createdBy: `admin (token ${ciToken.username})`,
    });
    expect(res.body.artifacts).toEqual(body('1.0.0').artifacts);
    const shown = await admin.get<Release>(`/api/v1/releases/${res.body.id}`);
    expect(shown.body).toEqual(res.body);
  });

  it('records one with a session too, and refuses a read-only token', async () => {
    expect((await admin.post('/api/v1/releases', body('1.1.0'))).status).toBe(201);
    const ro = await admin.createToken({ name: 'reader', permission: 'read-only' });
    const res = await new ApiClient(server, ro.token).post<ApiErrorBody>('/api/v1/releases', body('1.2.0'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'read_only' });
    expect(res.body.error.message).toContain('read-only');
    // A read-only token may still read releases.
    expect((await new ApiClient(server, ro.token).get('/api/v1/releases')).status).toBe(200);
  });

  it('is immutable: the same name and version again is a conflict, and there is no way to change one', async () => {
    const again = await ci.post<ApiErrorBody>('/api/v1/releases', body('1.0.0', { notes: 'changed' }));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('immutable');
    const [first] = (await admin.get<{ releases: Release[] }>('/api/v1/releases?version=1.0.0')).body.releases;
    expect(first?.notes).toBe('First cut.\nWith a line break.');
    for (const method of ['PATCH', 'PUT', 'DELETE']) expect((await admin.request(method, `/api/v1/releases/${first?.id}`, {})).status).toBe(404);
  });

  it('refuses releases naming missing artifacts with a 400 that lists each one, and stores nothing', async () => {
    const res = await ci.post<ValidationError>('/api/v1/releases', {
      name: 'shop',
      version: '9.9.9',
      artifacts: [
        { type: 'oci', repository: 'shop/api', digest: missingDigest },
        { type: 'oci', repository: 'shop/nothing', digest: image.digest },
        { type: 'npm', name: '@shop/web', version: '9.0.0' },
        { type: 'pypi', name: 'shop-sdk', version: '2.0.1' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details?.issues).toEqual([
      { path: 'artifacts.0', message: `image shop/api@${missingDigest} does not exist in this registry` },
      { path: 'artifacts.1', message: `image shop/nothing@${image.digest} does not exist in this registry` },
      { path: 'artifacts.2', message: 'npm package @shop/web 9.0.0 does not exist in this registry' },
    ]);
    expect((await admin.get<{ releases: Release[] }>('/api/v1/releases?version=9.9.9')).body.releases).toEqual([]);
  });

  it('refuses malformed releases with a clear 400', async () => {
    const cases: [unknown, string][] = [
      [{ ...body('2.0.0'), name: 'Shop Name' }, 'name: must use lowercase'],
      [{ ...body('2.0.0'), version: 'one two' }, 'version: must be letters'],
      [{ ...body('2.0.0'), artifacts: [] }, 'artifacts: must name at least one artifact'],
      [{ ...body('2.0.0'), artifacts: [{ type: 'oci', repository: 'shop/api', digest: 'sha256:abc' }] }, 'artifacts.0.digest: must be sha256'],
      [{ ...body('2.0.0'), artifacts: [{ type: 'oci', repository: '../etc', digest: image.digest }] }, 'artifacts.0.repository: must be an OCI repository name'],
      [{ ...body('2.0.0'), artifacts: [{ type: 'rubygems', name: 'x', version: '1' }] }, 'artifacts.0.type: must be {"type":"oci"'],
      [{ ...body('2.0.0'), source: { url: 'javascript:alert(1)' } }, 'source.url: must be an http(s) URL'],
      [{ ...body('2.0.0'), source: { sha: 'abc' } }, 'unknown field(s): sha'],
      [{ ...body('2.0.0'), notes: 'bell\u0007' }, 'notes: must not contain control characters'],
      [
        { ...body('2.0.0'), artifacts: [body('2.0.0').artifacts[0], body('2.0.0').artifacts[0]] },
        'artifacts.1: names the same repository as artifacts.0',
      ],
    ];
    for (const [input, message] of cases) {
      const res = await ci.post<ApiErrorBody>('/api/v1/releases', input);
      expect(res.status, message).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
  });

  it('lists newest first and searches by name, version and artifact digest', async () => {
    await ci.post('/api/v1/releases', { name: 'other', version: '1.0.0', artifacts: [{ type: 'npm', name: '@shop/web', version: '1.4.0' }] });
    const all = await admin.get<{ releases: Release[]; nextBefore: number | null }>('/api/v1/releases');
    expect(all.body.releases.map((r) => `${r.name} ${r.version}`)).toEqual(['other 1.0.0', 'shop 1.1.0', 'shop 1.0.0']);
    const byName = await admin.get<{ releases: Release[] }>('/api/v1/releases?name=shop');
    expect(byName.body.releases.map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
    const byVersion = await admin.get<{ releases: Release[] }>('/api/v1/releases?version=1.0.0');
    expect(byVersion.body.releases.map((r) => r.name)).toEqual(['other', 'shop']);
    const byDigest = await admin.get<{ releases: Release[] }>(`/api/v1/releases?digest=${image.digest}`);
    expect(byDigest.body.releases.map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
    expect((await admin.get<{ releases: Release[] }>(`/api/v1/releases?digest=${missingDigest}`)).body.releases).toEqual([]);
    const page = await admin.get<{ releases: Release[]; nextBefore: number }>('/api/v1/releases?limit=2');
    expect(page.body.releases).toHaveLength(2);
    const next = await admin.get<{ releases: Release[]; nextBefore: number | null }>(`/api/v1/releases?limit=2&before=${page.body.nextBefore}`);
    expect(next.body.releases.map((r) => `${r.name} ${r.version}`)).toEqual(['shop 1.0.0']);
    expect(next.body.nextBefore).toBeNull();
    for (const id of ['999999', 'abc', '0', '-1']) expect((await admin.get(`/api/v1/releases/${id}`)).status).toBe(404);
    expect((await admin.get('/api/v1/releases?colour=red')).status).toBe(400);
  });
});
