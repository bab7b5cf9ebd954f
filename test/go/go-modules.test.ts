import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { goConsumerEnv, referenceHash, runGo, writeTree } from '../support/go-tool.js';
import { startTlsFront, type TlsFront } from '../support/tls-front.js';
import { expectRefusedOnceRevoked, expectServedFromMemory, type RealClient } from '../memory-lane/answers.js';

const LIB = 'example.com/fly/greet';
const MIXED = 'example.com/fly/MixedCase';

describe('Go modules: flyreg go publish, then go build through GOPROXY with a read-only token', () => {
  let server: TestServer;
  let front: TlsFront;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let work: string;
  const cli = new CliUser();

  const consumerEnv = (name: string, token: CreatedToken) => goConsumerEnv(work, front, name, token);

  function publish(dir: string, version: string, token: CreatedToken) {
    return cli.run(['go', 'publish', dir, '--version', version, '--token', token.token, '--registry', server.url, '--json']);
  }

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-go-'));
    front = await startTlsFront(server.url, work);
    admin = await login(server);
    writer = await admin.createToken({ name: 'go-ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'go-builds', permission: 'read-only' });
  }, 60_000);

  afterAll(async () => {
    await front?.stop();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    rmSync(cli.root, { recursive: true, force: true });
  });

  it('publishes a library whose zip hashes as the Go team’s own zip code says, leaving out what go leaves out', async () => {
    const lib = writeTree(join(work, 'greet'), {
      'go.mod': `module ${LIB}\n\ngo 1.22\n`,
      'greet.go': 'package greet\n\n// Hello greets.\nfunc Hello(name string) string { return "hello, " + name }\n',
      'internal/words/words.go': 'package words\n\nconst Bang = "!"\n',
      'tools/go.mod': 'module example.com/fly/greet/tools\n',
      'tools/tool.go': 'package tools\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'vendor/example.com/dep/dep.go': 'package dep\n',
      'LICENSE': 'MIT\n',
    });
    symlinkSync('greet.go', join(lib, 'link.go'));
    const result = await publish(lib, 'v1.0.0', writer);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { h1: string; files: string[]; omitted: { path: string }[] };
    expect(answer.files).toEqual(['LICENSE', 'go.mod', 'greet.go', 'internal/words/words.go']);
    expect(answer.omitted.map((o) => o.path).sort()).toEqual(['.git', 'link.go', 'tools', 'vendor/example.com/dep/dep.go']);
    expect(answer.h1).toBe(await referenceHash(work, lib, LIB, 'v1.0.0'));
  }, 300_000);

  it('a consumer builds against our proxy with a read-only token and an empty cache; go.sum holds the published h1 and verifies', async () => {
    const mixed = writeTree(join(work, 'mixed'), {
      'go.mod': `module ${MIXED}\n\ngo 1.22\n`,
      'mixed.go': 'package mixedcase\n\nconst Name = "Mixed"\n',
    });
    const published = await publish(mixed, 'v0.1.0-Beta.1', writer);
    expect(published.code, published.stderr).toBe(0);

    const app = writeTree(join(work, 'app'), {
      'go.mod': 'module example.com/fly/app\n\ngo 1.22\n',
      'main.go': `package main\n\nimport (\n\t"fmt"\n\n\t"${LIB}"\n\tmixedcase "${MIXED}"\n)\n\nfunc main() { fmt.Println(greet.Hello(mixedcase.Name)) }\n`,
    });
    const env = consumerEnv('build', reader);
    const get = await runGo(['get', `${LIB}@latest`, `${MIXED}@v0.1.0-Beta.1`], app, env);
    expect(get.code, get.output).toBe(0);
    const build = await runGo(['build', '-o', join(work, 'app-bin'), '.'], app, env);
    expect(build.code, build.output).toBe(0);
    const sum = readFileSync(join(app, 'go.sum'), 'utf8');
    expect(sum).toContain(`${LIB} v1.0.0 ${await referenceHash(work, join(work, 'greet'), LIB, 'v1.0.0')}`);
    expect(sum).toContain(`${LIB} v1.0.0/go.mod h1:`);
    // A second machine with an empty cache downloads again and checks every file against go.sum.
    const verify = await runGo(['mod', 'verify'], app, consumerEnv('verify', reader));
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toContain('all modules verified');
  }, 300_000);

  it('versions are immutable, and a read-only token cannot publish', async () => {
    const again = await publish(join(work, 'greet'), 'v1.0.0', writer);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/409.*already exists: module versions are immutable/);
    const readOnly = await publish(join(work, 'greet'), 'v1.0.9', reader);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/403.*read-only/);
    const list = await fetch(`${server.url}/go/${LIB}/@v/list`, { headers: { authorization: `Bearer ${reader.token}` } });
    expect(await list.text()).toBe('v1.0.0\n');
  });

  it('retractions in a later go.mod hide a version from @latest and go list', async () => {
    const lib = join(work, 'greet');
    expect((await publish(lib, 'v1.0.1', writer)).code).toBe(0);
    writeFileSync(join(lib, 'go.mod'), `module ${LIB}\n\ngo 1.22\n\nretract v1.0.1 // greets the wrong way\n`);
    expect((await publish(lib, 'v1.0.2', writer)).code).toBe(0);
    writeFileSync(join(lib, 'go.mod'), `module ${LIB}\n\ngo 1.22\n\nretract (\n\tv1.0.3 // broken\n\tv1.0.1 // greets the wrong way\n)\n`);
    expect((await publish(lib, 'v1.0.3', writer)).code).toBe(0);

    const latest = await fetch(`${server.url}/go/${LIB}/@latest`, { headers: { authorization: `Bearer ${reader.token}` } });
    expect(((await latest.json()) as { Version: string }).Version).toBe('v1.0.2');
    const app = join(work, 'app');
    const env = consumerEnv('retract', reader);
    const versions = await runGo(['list', '-m', '-versions', LIB], app, env);
    expect(versions.code, versions.output).toBe(0);
    expect(versions.output.trim()).toBe(`${LIB} v1.0.0 v1.0.2`);
    const upgrade = await runGo(['get', `${LIB}@latest`], app, env);
    expect(upgrade.code, upgrade.output).toBe(0);
    expect(readFileSync(join(app, 'go.mod'), 'utf8')).toContain(`${LIB} v1.0.2`);
  }, 300_000);

  it('go list -m -versions: the version list is answered from memory, and refused once the token is revoked', async () => {
    const token = await admin.createToken({ name: 'go-lane', permission: 'read-only' });
    const env = consumerEnv('lane', token);
    const go: RealClient = {
      // The path go asks the proxy for, through the HTTPS front (which passes it on as it came).
      path: `/artifactory/api/go/go/${LIB}/@v/list`,
      warmHeaders: basicAuth(token.username, token.token),
      run: async () => {
        const listed = await runGo(['list', '-m', '-versions', LIB], join(work, 'app'), env);
        return { code: listed.code, stdout: listed.output };
      },
      check: (out) => expect(out.trim()).toBe(`${LIB} v1.0.0 v1.0.2`),
      refused: (out) => expect(out).toMatch(/401 Unauthorized[\s\S]*revoked/),
    };
    await expectServedFromMemory(server, go);
    await expectRefusedOnceRevoked(server, admin, token, [go], basicAuth(reader.username, reader.token));
  }, 300_000);

  it('answers the protocol’s 404 for unknown modules and versions, and 401 without credentials', async () => {
    const auth = { authorization: `Bearer ${reader.token}` };
    const unknown = await fetch(`${server.url}/artifactory/api/go/go/example.com/nope/@v/list`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/not found/);
    expect((await fetch(`${server.url}/go/${LIB}/@v/v9.9.9.info`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/go/${LIB}/@v/not-a-version.info`, { headers: auth })).status).toBe(404);
    // An unescaped capital is not a valid request for the mixed-case module; its encoding is.
    expect((await fetch(`${server.url}/go/${MIXED}/@v/list`, { headers: auth })).status).toBe(404);
    expect(await (await fetch(`${server.url}/go/example.com/fly/!mixed!case/@v/list`, { headers: auth })).text()).toBe('v0.1.0-Beta.1\n');
    const info = await fetch(`${server.url}/go/example.com/fly/!mixed!case/@v/v0.1.0-!beta.1.info`, { headers: auth });
    expect(((await info.json()) as { Version: string }).Version).toBe('v0.1.0-Beta.1');
    const anonymous = await fetch(`${server.url}/go/${LIB}/@v/list`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('releases accept module versions that exist', async () => {
    const ok = await admin.post('/api/v1/releases', { name: 'shop/greeter', version: '1', artifacts: [{ type: 'go', name: LIB, version: 'v1.0.2' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const missing = await admin.post('/api/v1/releases', { name: 'shop/greeter', version: '2', artifacts: [{ type: 'go', name: LIB, version: 'v7.0.0' }] });
    expect(JSON.stringify(missing.body)).toMatch(/go package example.com\/fly\/greet v7.0.0 does not exist/);
  });

  it('a revoked token fails the next go download', async () => {
    const revoked = await admin.createToken({ name: 'go-revoked', permission: 'read-only' });
    const env = consumerEnv('revoked', revoked);
    expect((await admin.post(`/api/v1/tokens/${revoked.id}/revoke`)).status).toBe(200);
    const download = await runGo(['mod', 'download', `${LIB}@v1.0.0`], join(work, 'app'), env);
    expect(download.code).not.toBe(0);
    expect(download.output).toMatch(/401 Unauthorized/);
    expect(download.output).toMatch(/revoked/);
    expect(download.output).not.toContain(revoked.token);
  }, 120_000);
});
