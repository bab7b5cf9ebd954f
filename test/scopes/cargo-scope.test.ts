import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { cargoHome, runCargo } from '../support/cargo-tool.js';
import { writeTree } from '../support/go-tool.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';
import { cargoPublishBody } from '../support/cargo-publish.js';

/**
 * Fine-grained scopes with the real cargo: a read & write token scoped to `cargo:acme-*` publishes
 * acme-lib and is refused other-lib (nothing stored); a read-only token with that scope fetches acme-lib
 * as a dependency (config.json, the index file, the download) and is refused other-lib's index file.
 */
describe('a Cargo token scoped to cargo:acme-*', () => {
  let server: TestServer;
  let admin: ApiClient;
  let unscoped: CreatedToken;
  let acmeWriter: CreatedToken;
  let acmeReader: CreatedToken;
  let work: string;

  const crate = (name: string) =>
    writeTree(join(work, name), {
      'Cargo.toml': `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\ndescription = "${name} for tests"\nlicense = "MIT"\n`,
      'src/lib.rs': 'pub fn answer() -> u32 { 42 }\n',
    });
  const publish = (name: string, token: CreatedToken) =>
    runCargo(['publish', '--registry', 'fly', '--no-verify', '--allow-dirty'], crate(name), cargoHome(work, server.url, `publish-${name}`, token.token));
  const get = (path: string, token: CreatedToken) => fetch(`${server.url}/cargo${path}`, { headers: { authorization: token.token } });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-cargo-scope-'));
    admin = await login(server);
    unscoped = await admin.createToken({ name: 'cargo all', permission: 'read-write' });
    acmeWriter = await admin.createToken({ name: 'acme ci', permission: 'read-write', scope: ['cargo:acme-*'] });
    acmeReader = await admin.createToken({ name: 'acme builds', permission: 'read-only', scope: ['cargo:acme-*'] });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('cargo publish of acme-lib works; of other-lib is refused with the reason, and nothing is stored', async () => {
    const published = await publish('acme-lib', acmeWriter);
    expect(published.code, published.output).toBe(0);
    expect(published.output).toMatch(/Published acme-lib v0\.1\.0/);
    const blobs = storedBlobs(server).sort();
    // cargo first reads the crate's index file, which the scope already refuses, and prints the reason.
    const refused = await publish('other-lib', acmeWriter);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/403.*This token may not download or view other-lib: it is outside the token's scope/s);
    expect(refused.output).not.toContain(acmeWriter.token);
    // The publish request itself (as another client would send it): refused from its metadata, before the .crate is kept.
    const body = cargoPublishBody(
      { name: 'other-lib', vers: '0.1.0', deps: [], features: {}, links: null },
      tarGzOf({ 'other-lib-0.1.0/Cargo.toml': '[package]\nname = "other-lib"\nversion = "0.1.0"\n' }),
    );
    const put = await fetch(`${server.url}/cargo/api/v1/crates/new`, { method: 'PUT', headers: { authorization: acmeWriter.token }, body: new Uint8Array(body) });
    expect(put.status).toBe(403);
    expect(JSON.stringify(await put.json())).toMatch(/upload or publish other-lib: it is outside the token's scope/);
    expect((await get('/index/ot/he/other-lib', unscoped)).status).toBe(404);
    expect(storedBlobs(server).sort()).toEqual(blobs);
    expect(openUploads(server)).toEqual([]);
  }, 300_000);

  it('cargo fetches acme-lib as a dependency with a read-only acme-* token', async () => {
    const app = writeTree(join(work, 'app'), {
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nacme-lib = { version = "0.1", registry = "fly" }\n',
      'src/main.rs': 'fn main() { println!("{}", acme_lib::answer()); }\n',
    });
    const home = cargoHome(work, server.url, 'builder', acmeReader.token);
    const fetched = await runCargo(['fetch'], app, home);
    expect(fetched.code, fetched.output).toBe(0);
    const cache = join(home, 'registry', 'cache');
    const crates = readdirSync(cache).flatMap((dir) => readdirSync(join(cache, dir)));
    expect(crates).toEqual(['acme-lib-0.1.0.crate']);
  }, 300_000);

  it('config.json answers any cargo-scoped token; other crates’ index files are refused', async () => {
    expect((await get('/index/config.json', acmeReader)).status).toBe(200);
    expect((await get('/index/ac/me/acme-lib', acmeReader)).status).toBe(200);
    const other = await publish('other-lib', unscoped);
    expect(other.code, other.output).toBe(0);
    const refused = await get('/index/ot/he/other-lib', acmeReader);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toMatch(/outside the token's scope/);
    const npmOnly = await admin.createToken({ name: 'npm only', permission: 'read-only', scope: ['npm:@acme/*'] });
    expect((await get('/index/config.json', npmOnly)).status).toBe(403);
  }, 300_000);
});
