import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { CliUser } from '../helpers/cli.js';
import { writeTree } from '../support/go-tool.js';
import { cargoHome, runCargo } from '../support/cargo-tool.js';
import { expectRefusedOnceRevoked, expectServedFromMemory, type RealClient } from '../memory-lane/answers.js';

describe('Cargo sparse registry: cargo publish, build against it, yank, read-only refusal', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let work: string;

  const homeFor = (name: string, token: CreatedToken) => cargoHome(work, server.url, name, token.token);
  const cargo = runCargo;

  function crateA(version: string): string {
    return writeTree(join(work, `fly_greet-${version}`), {
      'Cargo.toml': `[package]\nname = "fly_greet"\nversion = "${version}"\nedition = "2021"\ndescription = "greets"\nlicense = "MIT"\n\n[features]\nloud = []\n`,
      'src/lib.rs': 'pub fn hello(name: &str) -> String { format!("hello, {name}") }\n',
    });
  }

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-cargo-'));
    admin = await login(server);
    writer = await admin.createToken({ name: 'cargo-ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'cargo-builds', permission: 'read-only' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('cargo publish with a read & write token; a crate depending on it builds from our registry only', async () => {
    const published = await cargo(['publish', '--registry', 'fly', '--no-verify', '--allow-dirty'], crateA('0.1.0'), homeFor('publisher', writer));
    expect(published.code, published.output).toBe(0);
    expect(published.output).toMatch(/Published fly_greet v0.1.0/);

    const app = writeTree(join(work, 'app'), {
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nfly-greet = { package = "fly_greet", version = "0.1", registry = "fly" }\n',
      'src/main.rs': 'fn main() { println!("{}", fly_greet::hello("cargo")); }\n',
    });
    // The builder's CARGO_HOME is written by `flyreg setup cargo`, merged into the settings already there.
    const builderHome = mkdtempSync(join(work, 'builder-'));
    writeFileSync(join(builderHome, 'config.toml'), '[net]\nretry = 0\n');
    const user = new CliUser();
    await user.login(server);
    const setup = await user.run(['setup', 'cargo', '--token', reader.token], { env: { CARGO_HOME: builderHome } });
    user.remove();
    expect(setup.code, setup.stderr).toBe(0);
    const built = await cargo(['build'], app, builderHome);
    expect(built.code, built.output).toBe(0);
    expect(built.output).toMatch(/Downloaded fly_greet v0.1.0 \(registry `fly`\)/);
  }, 300_000);

  it('the index answers 401 without a token, and lists each version with its checksum', async () => {
    const anonymous = await fetch(`${server.url}/cargo/index/config.json`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ errors: [{ detail: expect.stringMatching(/Authentication required/) }] });
    const config = await fetch(`${server.url}/cargo/index/config.json`, { headers: { authorization: reader.token } });
    const { publicUrl } = (await admin.get<{ publicUrl: string }>('/api/v1/endpoints')).body;
    expect(await config.json()).toEqual({ dl: `${publicUrl}/cargo/api/v1/crates`, api: `${publicUrl}/cargo`, 'auth-required': true });
    const index = await fetch(`${server.url}/cargo/index/fl/y_/fly_greet`, { headers: { authorization: reader.token } });
    const [line] = (await index.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ name: 'fly_greet', vers: '0.1.0', yanked: false, features: { loud: [] }, deps: [] });
    const crate = await fetch(`${server.url}/cargo/api/v1/crates/fly_greet/0.1.0/download`, { headers: { authorization: reader.token } });
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(Buffer.from(await crate.arrayBuffer())).digest('hex')).toBe(line?.cksum);
    // The other spelling is another index file: cargo tries it only when this one is missing.
    expect((await fetch(`${server.url}/cargo/index/fl/y-/fly-greet`, { headers: { authorization: reader.token } })).status).toBe(404);
  });

  it('a read-only token cannot publish: cargo shows the registry’s reason', async () => {
    const refused = await cargo(['publish', '--registry', 'fly', '--no-verify', '--allow-dirty'], crateA('0.2.0'), homeFor('readonly', reader));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/403 Forbidden.*This token is read-only: it cannot upload or publish/s);
    expect(refused.output).not.toContain(reader.token);
  }, 120_000);

  it('a yanked version is not chosen for new resolutions, and comes back when un-yanked', async () => {
    const home = homeFor('yanker', writer);
    const yanked = await cargo(['yank', '--registry', 'fly', '--version', '0.1.0', 'fly_greet'], work, home);
    expect(yanked.code, yanked.output).toBe(0);
    const app = join(work, 'app');
    rmSync(join(app, 'Cargo.lock'), { force: true });
    const refused = await cargo(['generate-lockfile'], app, homeFor('after-yank', reader));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/yanked/);
    const undo = await cargo(['yank', '--undo', '--registry', 'fly', '--version', '0.1.0', 'fly_greet'], work, home);
    expect(undo.code, undo.output).toBe(0);
    const resolved = await cargo(['generate-lockfile'], app, homeFor('after-unyank', reader));
    expect(resolved.code, resolved.output).toBe(0);
    const audit = await admin.get<{ items?: { action: string; details: Record<string, unknown> }[] }>('/api/v1/audit?limit=20');
    expect(JSON.stringify(audit.body)).toMatch(/"yanked":true/);
  }, 300_000);

  it('cargo generate-lockfile: the sparse index file is answered from memory, and refused once the token is revoked', async () => {
    const token = await admin.createToken({ name: 'cargo-lane', permission: 'read-only' });
    const home = homeFor('lane', token);
    const app = join(work, 'app');
    const client: RealClient = {
      path: '/artifactory/api/cargo/cargo/index/fl/y_/fly_greet',
      // Cargo sends the bare token, as `auth-required` in config.json asks.
      warmHeaders: { authorization: token.token },
      run: async () => {
        const locked = await cargo(['generate-lockfile'], app, home);
        return { code: locked.code, stdout: locked.output };
      },
      check: () => expect(readFileSync(join(app, 'Cargo.lock'), 'utf8')).toMatch(/name = "fly_greet"\nversion = "0\.1\.0"/),
      // A new cargo process asks for config.json first (never from memory): that request is the one refused.
      refused: (out) => expect(out).toMatch(/index\/config\.json`, got 401[\s\S]*revoked/),
    };
    await expectServedFromMemory(server, client);
    await expectRefusedOnceRevoked(server, admin, token, [client], { authorization: reader.token });
  }, 300_000);

  it('releases name crates by any spelling cargo accepts, and refuse versions that do not exist', async () => {
    const ok = await admin.post('/api/v1/releases', { name: 'shop/cli', version: '1.0.0', artifacts: [{ type: 'cargo', name: 'Fly-Greet', version: '0.1.0' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const missing = await admin.post('/api/v1/releases', { name: 'shop/cli', version: '1.0.1', artifacts: [{ type: 'cargo', name: 'fly_greet', version: '9.9.9' }] });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/cargo package fly_greet 9.9.9 does not exist/);
  });

  it('a revoked token fails the next index request', async () => {
    const revoked = await admin.createToken({ name: 'cargo-revoked', permission: 'read-only' });
    await admin.post(`/api/v1/tokens/${revoked.id}/revoke`);
    const res = await fetch(`${server.url}/cargo/index/fl/y_/fly_greet`, { headers: { authorization: revoked.token } });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toMatch(/revoked/);
    mkdirSync(join(work, 'unused'), { recursive: true });
  });

  it('cargo publish with a token expiring soon prints the registry’s warning (the publish answer’s warnings.other)', async () => {
    const expiring = await admin.createToken({ name: 'cargo-expiring', permission: 'read-write', expiresAt: new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString() });
    const crate = writeTree(join(work, 'fly_expiring'), {
      'Cargo.toml': '[package]\nname = "fly_expiring"\nversion = "0.1.0"\nedition = "2021"\ndescription = "expiring"\nlicense = "MIT"\n',
      'src/lib.rs': 'pub fn one() -> u8 { 1 }\n',
    });
    const published = await cargo(['publish', '--registry', 'fly', '--no-verify', '--allow-dirty'], crate, homeFor('expiring', expiring));
    expect(published.code, published.output).toBe(0);
    expect(published.output).toContain(`warning: Fly Registry: token ${expiring.username} expires in 3 days - rotate it at`);
  }, 300_000);
});
