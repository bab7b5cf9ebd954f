import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { blobStored, runGc } from '../helpers/gc.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { zipOf } from '../support/go-zips.js';

const digestOf = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Cargo's publish body: length-prefixed JSON metadata, then the length-prefixed .crate. */
function cargoPublishBody(name: string, vers: string, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify({ name, vers, deps: [], features: {}, links: null }));
  const a = Buffer.alloc(4);
  a.writeUInt32LE(json.length);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crate.length);
  return Buffer.concat([a, json, b, crate]);
}

const MODULE = 'example.com/gc/lib';
const GO_MOD = `module ${MODULE}\n\ngo 1.22\n`;
const goZip = (version: string) => zipOf({ [`${MODULE}@${version}/go.mod`]: GO_MOD, [`${MODULE}@${version}/lib.go`]: `package lib\n\nconst Version = "${version}"\n` });
const chart = (version: string) => tarGzOf({ 'gcchart/Chart.yaml': `apiVersion: v2\nname: gcchart\nversion: ${version}\n`, 'gcchart/values.yaml': `tag: "${version}"\n` });
const crate = (version: string) => tarGzOf({ [`gc-crate-${version}/Cargo.toml`]: `[package]\nname = "gc-crate"\nversion = "${version}"\n`, [`gc-crate-${version}/src/lib.rs`]: `// ${version}\n` });

/** `flyreg gc` reclaims the files of deleted Go, Helm and Cargo versions, and nothing a kept version uses. */
describe('flyreg gc after deleting Go, Helm and Cargo versions', () => {
  let server: TestServer;
  let writer: CreatedToken;

  const call = async (method: string, path: string, body?: Buffer, expected = [200, 201, 204]) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${writer.token}` }, ...(body ? { body: new Uint8Array(body) } : {}) });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(expected, `${method} ${path}: ${res.status} ${bytes.toString('utf8').slice(0, 300)}`).toContain(res.status);
    return { status: res.status, bytes };
  };

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'gc publish', permission: 'read-write' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('removes the deleted versions’ zip, chart and crate past the grace period, and keeps the others (and the go.mod both versions share)', async () => {
    const files = {
      goKept: await goZip('v1.0.0'),
      goDropped: await goZip('v1.1.0'),
      chartKept: chart('1.0.0'),
      chartDropped: chart('1.1.0'),
      crateKept: crate('1.0.0'),
      crateDropped: crate('1.1.0'),
    };
    await call('PUT', `/go/${MODULE}/@v/v1.0.0.zip`, files.goKept);
    await call('PUT', `/go/${MODULE}/@v/v1.1.0.zip`, files.goDropped);
    await call('PUT', '/helm/charts/gcchart-1.0.0.tgz', files.chartKept);
    await call('PUT', '/helm/charts/gcchart-1.1.0.tgz', files.chartDropped);
    await call('PUT', '/cargo/api/v1/crates/new', cargoPublishBody('gc-crate', '1.0.0', files.crateKept));
    await call('PUT', '/cargo/api/v1/crates/new', cargoPublishBody('gc-crate', '1.1.0', files.crateDropped));
    const digests = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, digestOf(v)])) as Record<keyof typeof files, string>;
    const goMod = digestOf(GO_MOD);
    for (const digest of [...Object.values(digests), goMod]) expect(blobStored(server, digest), digest).toBe(true);

    await call('DELETE', `/go/${MODULE}/@v/v1.1.0`);
    await call('DELETE', '/helm/api/charts/gcchart/1.1.0');
    await call('DELETE', '/cargo/api/v1/crates/gc-crate/1.1.0');
    // The deleted versions are gone from each protocol's index at once.
    expect((await call('GET', `/go/${MODULE}/@v/list`)).bytes.toString()).toBe('v1.0.0\n');
    expect((await call('GET', '/helm/index.yaml')).bytes.toString()).not.toContain('1.1.0');
    expect((await call('GET', '/cargo/index/gc/-c/gc-crate')).bytes.toString()).not.toContain('"1.1.0"');

    // Within the default grace period (an hour) nothing goes: each file was touched when it was stored.
    expect(await runGc(server)).toMatch(/Removed 0 blob\(s\)/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await runGc(server, '--grace-seconds', '1')).toMatch(/Removed 3 blob\(s\)/);
    for (const dropped of [digests.goDropped, digests.chartDropped, digests.crateDropped]) expect(blobStored(server, dropped), dropped).toBe(false);
    for (const kept of [digests.goKept, digests.chartKept, digests.crateKept, goMod]) expect(blobStored(server, kept), kept).toBe(true);

    // The kept versions still download, byte for byte.
    expect((await call('GET', `/go/${MODULE}/@v/v1.0.0.zip`)).bytes.equals(files.goKept)).toBe(true);
    expect((await call('GET', `/go/${MODULE}/@v/v1.0.0.mod`)).bytes.toString()).toBe(GO_MOD);
    expect((await call('GET', '/helm/charts/gcchart-1.0.0.tgz')).bytes.equals(files.chartKept)).toBe(true);
    expect((await call('GET', '/cargo/api/v1/crates/gc-crate/1.0.0/download')).bytes.equals(files.crateKept)).toBe(true);
  });
});
