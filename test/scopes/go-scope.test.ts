import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { goConsumerEnv, runGo, writeTree } from '../support/go-tool.js';
import { startTlsFront, type TlsFront } from '../support/tls-front.js';

const ACME = 'example.com/acme/lib';
const OTHER = 'example.com/other/lib';

/**
 * Fine-grained scopes with the real go: a token scoped to `go:example.com/acme/*` gets and downloads
 * example.com/acme/lib and is refused example.com/other/lib; paths naming no module answer it what they
 * answer everyone; a read & write token with that scope publishes only below the prefix.
 */
describe('a Go token scoped to go:example.com/acme/*', () => {
  let server: TestServer;
  let front: TlsFront;
  let admin: ApiClient;
  let unscoped: CreatedToken;
  let acmeReader: CreatedToken;
  let acmeWriter: CreatedToken;
  let work: string;
  const cli = new CliUser();

  const consumerEnv = (name: string, token: CreatedToken) => goConsumerEnv(work, front, name, token);

  const publish = (module: string, token: CreatedToken) => {
    const dir = writeTree(join(work, module.replaceAll('/', '_')), {
      'go.mod': `module ${module}\n\ngo 1.22\n`,
      'lib.go': 'package lib\n\n// Answer answers.\nfunc Answer() int { return 42 }\n',
    });
    return cli.run(['go', 'publish', dir, '--version', 'v1.0.0', '--token', token.token, '--registry', server.url, '--json']);
  };
  const get = (path: string, token: CreatedToken) => fetch(`${server.url}/go/${path}`, { headers: { authorization: `Bearer ${token.token}` } });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-go-scope-'));
    front = await startTlsFront(server.url, work);
    admin = await login(server);
    unscoped = await admin.createToken({ name: 'go all', permission: 'read-write' });
    acmeReader = await admin.createToken({ name: 'acme builds', permission: 'read-only', scope: ['go:example.com/acme/*'] });
    acmeWriter = await admin.createToken({ name: 'acme ci', permission: 'read-write', scope: ['go:example.com/acme/*'] });
    for (const module of [ACME, OTHER]) {
      const published = await publish(module, unscoped);
      expect(published.code, published.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    await front?.stop();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    rmSync(cli.root, { recursive: true, force: true });
  });

  it('go get and go mod download of example.com/acme/lib work; example.com/other/lib is refused with the reason', async () => {
    const app = writeTree(join(work, 'app'), { 'go.mod': 'module example.com/acme/app\n\ngo 1.22\n' });
    const env = consumerEnv('consumer', acmeReader);
    const got = await runGo(['get', `${ACME}@v1.0.0`], app, env);
    expect(got.code, got.output).toBe(0);
    expect(readFileSync(join(app, 'go.mod'), 'utf8')).toContain(`${ACME} v1.0.0`);
    const downloaded = await runGo(['mod', 'download', '-json', `${ACME}@v1.0.0`], app, consumerEnv('download', acmeReader));
    expect(downloaded.code, downloaded.output).toBe(0);
    expect(downloaded.output).toMatch(/"Sum": "h1:/);
    const refused = await runGo(['get', `${OTHER}@v1.0.0`], app, env);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/403 Forbidden/);
    expect(refused.output).toMatch(/outside the token's scope/);
    expect(refused.output).not.toContain(acmeReader.token);
    expect(readFileSync(join(app, 'go.mod'), 'utf8')).not.toContain(OTHER);
  }, 300_000);

  it('paths naming no module answer a scoped token as they answer everyone (404), not with a refusal', async () => {
    for (const token of [acmeReader, unscoped]) {
      const sumdb = await get('sumdb/sum.golang.org/supported', token);
      expect(sumdb.status).toBe(404);
      expect(await sumdb.text()).toMatch(/not found/);
    }
    const upload = await fetch(`${server.url}/go/not-a-proxy-path`, { method: 'PUT', headers: { authorization: `Bearer ${acmeWriter.token}` }, body: 'x' });
    expect(upload.status).toBe(400);
    expect(await upload.text()).toMatch(/PUT <module>\/@v\/<version>\.zip/);
    const npmOnly = await admin.createToken({ name: 'npm only', permission: 'read-only', scope: ['npm:@acme/*'] });
    expect((await get('sumdb/sum.golang.org/supported', npmOnly)).status).toBe(403);
  });

  it('a read & write token with the scope publishes below the prefix only', async () => {
    const inside = await publish('example.com/acme/tools', acmeWriter);
    expect(inside.code, inside.stderr).toBe(0);
    const outside = await publish('example.com/other/tools', acmeWriter);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/403.*outside the token's scope/s);
    expect((await get('example.com/other/tools/@v/list', unscoped)).status).toBe(404);
  }, 120_000);
});
