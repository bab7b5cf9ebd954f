import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { cargoPublishBody } from '../support/cargo-publish.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';


const publishBody = cargoPublishBody;

const meta = (name: string, vers: string) => ({ name, vers, deps: [], features: {}, links: null });
const manifest = (name: string, vers: string) => `[package]\nname = "${name}"\nversion = "${vers}"\n`;

describe('Cargo publishes: malformed crates, wrong names and versions are refused in cargo’s format, nothing stored', () => {
  let server: TestServer;
  let writer: CreatedToken;
  let goodBlobs: string[];

  const publish = (body: Buffer) =>
    fetch(`${server.url}/cargo/api/v1/crates/new`, { method: 'PUT', headers: { authorization: writer.token }, body: new Uint8Array(body) });

  async function expectRefused(body: Buffer, status: number, detail: RegExp): Promise<void> {
    const res = await publish(body);
    const answer = (await res.json()) as { errors: { detail: string }[] };
    expect(res.status, JSON.stringify(answer)).toBe(status);
    expect(answer.errors[0]?.detail).toMatch(detail);
    const index = await fetch(`${server.url}/cargo/index/go/od/good`, { headers: { authorization: writer.token } });
    expect((await index.text()).trim().split('\n')).toHaveLength(1);
    expect(storedBlobs(server).sort()).toEqual(goodBlobs);
    expect(openUploads(server)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startServer();
    writer = await (await login(server)).createToken({ name: 'cargo-ci', permission: 'read-write' });
    const good = await publish(publishBody(meta('good', '1.0.0'), tarGzOf({ 'good-1.0.0/Cargo.toml': manifest('good', '1.0.0') })));
    expect(good.status, await good.text()).toBe(200);
    goodBlobs = storedBlobs(server).sort();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('a .crate that is not a gzip tar', async () => {
    await expectRefused(publishBody(meta('good', '1.1.0'), Buffer.from('not a crate at all')), 400, /Invalid crate: not a readable .tar.gz/);
  });

  it('a crate whose Cargo.toml names another package or version, or that has none', async () => {
    await expectRefused(publishBody(meta('good', '1.1.0'), tarGzOf({ 'good-1.1.0/Cargo.toml': manifest('evil', '1.1.0') })), 400, /names package "evil", not good/);
    await expectRefused(publishBody(meta('good', '1.1.0'), tarGzOf({ 'good-1.1.0/Cargo.toml': manifest('good', '9.9.9') })), 400, /says version "9.9.9", not 1.1.0/);
    await expectRefused(publishBody(meta('good', '1.1.0'), tarGzOf({ 'good-1.1.0/src/lib.rs': '' })), 400, /no good-1.1.0\/Cargo.toml inside/);
  });

  it('entries outside the crate directory', async () => {
    const tar = tarGzOf({ 'good-1.1.0/Cargo.toml': manifest('good', '1.1.0'), 'other/x.rs': '' });
    await expectRefused(publishBody(meta('good', '1.1.0'), tar), 400, /"other\/x.rs" is not under good-1.1.0\//);
  });

  it('invalid names and versions, and names that collide with another spelling', async () => {
    const tar = tarGzOf({ 'good-1.1.0/Cargo.toml': manifest('good', '1.1.0') });
    await expectRefused(publishBody(meta('9lives', '1.1.0'), tar), 400, /invalid crate name "9lives"/);
    await expectRefused(publishBody(meta('good', '1.1'), tar), 400, /invalid version "1.1"/);
    await expectRefused(publishBody(meta('GOOD', '1.1.0'), tarGzOf({ 'GOOD-1.1.0/Cargo.toml': manifest('GOOD', '1.1.0') })), 409, /already published as good/);
    await expectRefused(publishBody(meta('good', '1.0.0'), tarGzOf({ 'good-1.0.0/Cargo.toml': manifest('good', '1.0.0') })), 409, /good@1.0.0 already exists/);
  });

  it('lengths that do not match the body, and metadata that is not cargo’s', async () => {
    const tar = tarGzOf({ 'good-1.1.0/Cargo.toml': manifest('good', '1.1.0') });
    await expectRefused(publishBody(meta('good', '1.1.0'), tar, tar.length + 10), 400, /ended before the end of its .crate file/);
    await expectRefused(publishBody({ name: 'good' }, tar), 400, /Invalid publish metadata/);
    await expectRefused(Buffer.from([1, 2]), 400, /ended early/);
  });
});
