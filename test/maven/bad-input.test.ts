import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';

/** A raw request: fetch would normalise `..` away before it left. */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const POM = '<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>bad</artifactId><version>1.0</version></project>';

describe('Maven refuses bad input with a clear error and stores nothing', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let auth: Record<string, string>;
  let blobsBefore: string[];
  const put = (path: string, body: string, headers: Record<string, string> = {}) => raw(server, 'PUT', `/maven/${path}`, { ...auth, ...headers }, body);
  const get = (path: string) => raw(server, 'GET', `/maven/${path}`, auth);

  async function expectNothingStored(): Promise<void> {
    expect(storedBlobs(server).sort()).toEqual(blobsBefore);
    expect(openUploads(server)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'ci', permission: 'read-write' });
    auth = basicAuth(writer.username, writer.token);
    expect((await put('com/example/bad/1.0/bad-1.0.pom', POM)).status).toBe(201);
    blobsBefore = storedBlobs(server).sort();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('paths with ".." or hidden segments → 400', async () => {
    for (const path of ['com/../etc/x/1/x-1.jar', 'com/example/%2e%2e/1/x-1.jar', 'com/example/bad/1.0/.bad-1.0.jar', 'com//example/bad/1.0/bad-1.0.jar']) {
      const res = await put(path, 'bytes');
      expect(res.status, path).toBe(400);
      expect(res.text).toMatch(/Invalid path segment|not a file of the Maven 2 layout/);
    }
    await expectNothingStored();
  });

  it('a file that does not belong to its directory → 400', async () => {
    const res = await put('com/example/bad/1.1/other-1.1.jar', 'bytes');
    expect(res.status).toBe(400);
    expect(res.text).toContain('not a file of the Maven 2 layout');
    await expectNothingStored();
  });

  it('a wrong X-Checksum-Sha1 on the deploy → 409, nothing kept', async () => {
    const res = await put('com/example/bad/1.1/bad-1.1.jar', 'jar bytes', { 'x-checksum-sha1': 'f'.repeat(40) });
    expect(res.status).toBe(409);
    expect(res.text).toContain('sha1 checksum');
    expect((await get('com/example/bad/1.1/bad-1.1.jar')).status).toBe(404);
    await expectNothingStored();
  });

  it('a wrong .sha1 companion removes the file it describes', async () => {
    expect((await put('com/example/bad/1.2/bad-1.2.jar', 'jar 1.2')).status).toBe(201);
    const res = await put('com/example/bad/1.2/bad-1.2.jar.sha1', '0'.repeat(40));
    expect(res.status).toBe(409);
    expect(res.text).toContain('does not match bad-1.2.jar as stored');
    expect((await get('com/example/bad/1.2/bad-1.2.jar')).status).toBe(404);
    const good = createHash('sha1').update('jar 1.2').digest('hex');
    expect((await put('com/example/bad/1.2/bad-1.2.jar', 'jar 1.2')).status).toBe(201);
    expect((await put('com/example/bad/1.2/bad-1.2.jar.sha1', good)).status).toBe(201);
    expect((await get('com/example/bad/1.2/bad-1.2.jar.sha1')).text).toBe(good);
  });

  it('a pom that is not XML, or not a pom, → 400 and the metadata stays as it was', async () => {
    const before = (await get('com/example/bad/maven-metadata.xml')).text;
    const res = await put('com/example/bad/2.0/bad-2.0.pom', 'this is { not xml');
    expect(res.status).toBe(400);
    expect(res.text).toContain('bad-2.0.pom is not well-formed XML');
    const wrongRoot = await put('com/example/bad/2.0/bad-2.0.pom', '<settings/>');
    expect(wrongRoot.status).toBe(400);
    expect(wrongRoot.text).toContain('not a pom');
    expect((await get('com/example/bad/maven-metadata.xml')).text).toBe(before);
    expect(before).not.toContain('2.0');
  });

  it('well-formed XML the parser still refuses (nesting too deep, an external entity) → 400, nothing stored, not a 500', async () => {
    const before = (await get('com/example/bad/maven-metadata.xml')).text;
    // Earlier tests' deleted files keep their blobs until `flyreg gc`: compare with what is stored now.
    const blobs = storedBlobs(server).sort();
    const deep = await put('com/example/bad/3.0/bad-3.0.pom', `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`);
    expect(deep.status, deep.text).toBe(400);
    expect(deep.text).toContain('bad-3.0.pom cannot be read');
    const external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><metadata><groupId>&e;</groupId></metadata>';
    for (const path of ['com/example/bad/maven-metadata.xml', 'com/example/bad/3.0/bad-3.0.pom']) {
      const res = await put(path, external);
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      expect(res.text).toContain('cannot be read');
    }
    expect((await get('com/example/bad/maven-metadata.xml')).text).toBe(before);
    expect(storedBlobs(server).sort()).toEqual(blobs);
    expect(openUploads(server)).toEqual([]);
    expect(await server.settledOutput()).not.toMatch(/"level":50|unhandled error/);
  });

  it('an uploaded maven-metadata.xml that is not XML or names another artifact → 400; a good one is reconciled, not trusted', async () => {
    expect((await put('com/example/bad/maven-metadata.xml', '<metadata><groupId>com.example')).status).toBe(400);
    const other = await put('com/example/bad/maven-metadata.xml', '<metadata><groupId>org.other</groupId><artifactId>bad</artifactId></metadata>');
    expect(other.status).toBe(400);
    expect(other.text).toContain('names groupId org.other');
    const lying = '<metadata><groupId>com.example</groupId><artifactId>bad</artifactId><versioning><versions><version>9.9</version></versions></versioning></metadata>';
    expect((await put('com/example/bad/maven-metadata.xml', lying)).status).toBe(201);
    const served = (await get('com/example/bad/maven-metadata.xml')).text;
    expect(served).not.toContain('9.9');
    expect(served).toContain('<version>1.0</version>');
  });

  it('a release names a Maven artifact (groupId:artifactId + version) only when it exists', async () => {
    const admin = await login(server);
    const ok = await admin.post('/api/v1/releases', { name: 'bad-app', version: '1.0', artifacts: [{ type: 'maven', name: 'com.example:bad', version: '1.0' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const missing = await admin.post('/api/v1/releases', { name: 'bad-app', version: '1.1', artifacts: [{ type: 'maven', name: 'com.example:bad', version: '9.9' }] });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('does not exist');
  });
});
