import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';
import { zipOf } from '../support/go-zips.js';

const MODULE = 'example.com/fly/bad';


describe('Go uploads: bad zips, names and versions are refused in plain text and nothing is stored', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let goodBlobs: string[];

  const put = (path: string, body: Buffer) =>
    fetch(`${server.url}/go/${path}`, { method: 'PUT', headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/zip' }, body: new Uint8Array(body) });

  async function expectRefused(path: string, body: Buffer, message: RegExp): Promise<void> {
    const res = await put(path, body);
    const text = await res.text();
    expect(res.status, text).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(message);
    const list = await fetch(`${server.url}/go/${MODULE}/@v/list`, { headers: { authorization: `Bearer ${writer.token}` } });
    expect(await list.text()).toBe('v1.0.0\n');
    expect(storedBlobs(server).sort()).toEqual(goodBlobs);
    expect(openUploads(server)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'go-ci', permission: 'read-write' });
    const good = await put(`${MODULE}/@v/v1.0.0.zip`, await zipOf({ [`${MODULE}@v1.0.0/go.mod`]: `module ${MODULE}\n`, [`${MODULE}@v1.0.0/a.go`]: 'package bad\n' }));
    expect(good.status, await good.text()).toBe(201);
    goodBlobs = storedBlobs(server).sort();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('bytes that are not a zip', async () => {
    await expectRefused(`${MODULE}/@v/v1.1.0.zip`, Buffer.from('PK\u0003\u0004 definitely not a zip'), /Invalid module zip: not a readable zip archive/);
  });

  it('entries outside module@version/, or for another version', async () => {
    await expectRefused(`${MODULE}/@v/v1.1.0.zip`, await zipOf({ 'go.mod': `module ${MODULE}\n` }), /"go.mod" is not under "example.com\/fly\/bad@v1.1.0\/"/);
    await expectRefused(`${MODULE}/@v/v1.1.0.zip`, await zipOf({ [`${MODULE}@v1.0.9/go.mod`]: `module ${MODULE}\n` }), /is not under/);
  });

  it('a go.mod for another module, or one below the root', async () => {
    await expectRefused(`${MODULE}/@v/v1.1.0.zip`, await zipOf({ [`${MODULE}@v1.1.0/go.mod`]: 'module example.com/other\n' }), /go.mod says module "example.com\/other"/);
    await expectRefused(
      `${MODULE}/@v/v1.1.0.zip`,
      await zipOf({ [`${MODULE}@v1.1.0/go.mod`]: `module ${MODULE}\n`, [`${MODULE}@v1.1.0/sub/go.mod`]: 'module x.com/sub\n' }),
      /go.mod file not in module root directory/,
    );
  });

  it('file names differing only in case, and names go refuses', async () => {
    await expectRefused(
      `${MODULE}/@v/v1.1.0.zip`,
      await zipOf({ [`${MODULE}@v1.1.0/go.mod`]: `module ${MODULE}\n`, [`${MODULE}@v1.1.0/A.go`]: 'package bad\n', [`${MODULE}@v1.1.0/a.go`]: 'package bad\n' }),
      /case-insensitive file name collision/,
    );
    await expectRefused(`${MODULE}/@v/v1.1.0.zip`, await zipOf({ [`${MODULE}@v1.1.0/what?.go`]: 'package bad\n' }), /malformed file path "what\?.go": invalid char/);
  });

  it('versions that are not canonical, or do not match the path’s major version', async () => {
    const zip = await zipOf({ [`${MODULE}@1.1.0/go.mod`]: `module ${MODULE}\n` });
    await expectRefused(`${MODULE}/@v/1.1.0.zip`, zip, /is not a canonical semantic version/);
    await expectRefused(`${MODULE}/@v/v2.0.0.zip`, await zipOf({ [`${MODULE}@v2.0.0/go.mod`]: `module ${MODULE}\n` }), /should be v0 or v1, not v2/);
    await expectRefused('Example.com/x/@v/v1.0.0.zip', zip, /invalid escaped module path|malformed module path/);
  });

  it('a published version cannot be replaced', async () => {
    const res = await put(`${MODULE}/@v/v1.0.0.zip`, await zipOf({ [`${MODULE}@v1.0.0/go.mod`]: `module ${MODULE}\n`, [`${MODULE}@v1.0.0/b.go`]: 'package bad\n' }));
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(/immutable/);
    expect(storedBlobs(server).sort()).toEqual(goodBlobs);
  });
});
