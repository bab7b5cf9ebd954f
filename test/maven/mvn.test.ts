import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import type { Token, TokenList } from '../../src/api/answers.js';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { ensureMaven, GROUP, mvn, writeCentralSettings, writeConsumerProject, writeTwoModuleProject } from './maven-projects.js';
import { expectRefusedOnceRevoked, expectServedFromMemory, type RealClient } from '../memory-lane/answers.js';

/** A JVM start and a build take seconds alone, and much longer on a loaded machine (three builds in one test). */
const MVN_TIMEOUT = 900_000;

describe('mvn deploys to and resolves from the Maven repository with tokens', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: Token & { token: string };
  let cli: CliUser;
  let reader: CreatedToken;
  let dir: string;
  let central: string;
  /** settings.xml exactly as the token creation answer gave it (the consumer's). */
  const settingsOf = (token: CreatedToken, name: string) => {
    const path = join(dir, `${name}-settings.xml`);
    writeFileSync(path, token.snippets.mavenSettingsXml);
    return path;
  };
  let writerSettings: string;
  let readerSettings: string;
  /** Every build gets an empty local repository: what it resolves must come from the registry. */
  const freshRepo = () => `-Dmaven.repo.local=${mkdtempSync(join(dir, 'm2-'))}`;
  const deploy = (project: string, settings: string) => mvn(project, ['-s', settings, '-gs', central, freshRepo(), 'deploy']);
  const consume = (project: string, settings: string, repo = freshRepo()) => mvn(project, ['-s', settings, '-gs', central, repo, 'package']);
  const get = (path: string) => fetch(`${server.url}/maven/${path}`, { headers: basicAuth(reader.username, reader.token) });

  beforeAll(async () => {
    await ensureMaven();
    server = await startServer();
    admin = await login(server);
    reader = await admin.createToken({ name: 'consumer', permission: 'read-only' });
    dir = mkdtempSync(join(tmpdir(), 'flyreg-mvn-'));
    central = writeCentralSettings(dir);
    // The deployer's settings come from `flyreg setup maven` (a new Read & Write token merged into ~/.m2).
    cli = new CliUser();
    await cli.login(server);
    const setup = await cli.run(['setup', 'maven', '--permission', 'read-write']);
    expect(setup.code, setup.stderr).toBe(0);
    writerSettings = join(cli.home, '.m2', 'settings.xml');
    const created = (await admin.get<TokenList>('/api/v1/tokens')).body.tokens.find((t) => t.name.endsWith('-maven'));
    if (!created) throw new Error('flyreg setup maven created no token');
    const written = new XMLParser().parse(readFileSync(writerSettings, 'utf8')) as { settings: { servers: { server: { password: string } } } };
    writer = { ...created, token: written.settings.servers.server.password };
    readerSettings = settingsOf(reader, 'reader');
  }, MVN_TIMEOUT);

  afterAll(async () => {
    await server?.stop();
    cli?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, MVN_TIMEOUT);

  it('deploys a two-module release with the Read & Write token that flyreg setup maven merged into settings.xml', async () => {
    writeTwoModuleProject(join(dir, 'release'), '1.0.0', 'hello');
    const result = await deploy(join(dir, 'release'), writerSettings);
    expect(result.code, result.output).toBe(0);
    const groupPath = GROUP.replace(/\./g, '/');
    for (const file of ['lib/1.0.0/lib-1.0.0.jar', 'lib/1.0.0/lib-1.0.0.pom', 'app/1.0.0/app-1.0.0.jar', 'parent/1.0.0/parent-1.0.0.pom']) {
      expect((await get(`${groupPath}/${file}`)).status, file).toBe(200);
    }
    const metadata = await (await get(`${groupPath}/lib/maven-metadata.xml`)).text();
    expect(metadata).toContain('<release>1.0.0</release>');
    // The secret never shows in mvn's output or the server's log.
    expect(result.output).not.toContain(writer.token);
    expect(await server.settledOutput()).not.toContain(writer.token);
  }, MVN_TIMEOUT);

  it('a separate project resolves the library with the Read-Only token and an empty local repository', async () => {
    writeConsumerProject(join(dir, 'consumer'), '1.0.0', 'hello');
    const repo = mkdtempSync(join(dir, 'm2-'));
    const result = await consume(join(dir, 'consumer'), readerSettings, `-Dmaven.repo.local=${repo}`);
    expect(result.code, result.output).toBe(0);
    const remote = readFileSync(join(repo, GROUP.replace(/\./g, '/'), 'lib/1.0.0/_remote.repositories'), 'utf8');
    expect(remote).toContain('lib-1.0.0.jar>fly=');
  }, MVN_TIMEOUT);

  it('a version range: mvn reads maven-metadata.xml from memory, and is refused once the token is revoked', async () => {
    const token = await admin.createToken({ name: 'maven-lane', permission: 'read-only' });
    const settings = settingsOf(token, 'lane');
    // A range is resolved from the artifact's maven-metadata.xml (1.0.0 is the only version in it).
    writeConsumerProject(join(dir, 'lane'), '[1.0,1.1)', 'hello');
    const client: RealClient = {
      path: `/artifactory/maven/${GROUP.replace(/\./g, '/')}/lib/maven-metadata.xml`,
      warmHeaders: basicAuth(token.username, token.token),
      run: async () => {
        const built = await consume(join(dir, 'lane'), settings);
        return { code: built.code, stdout: built.output };
      },
      check: (out) => expect(out).toContain('BUILD SUCCESS'),
      refused: (out) => expect(out).toMatch(/401|Unauthorized/),
    };
    await expectServedFromMemory(server, client);
    await expectRefusedOnceRevoked(server, admin, token, [client], basicAuth(reader.username, reader.token));
  }, MVN_TIMEOUT);

  it('refuses to redeploy a release (409 in mvn output)', async () => {
    const result = await deploy(join(dir, 'release'), writerSettings);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/409|releases are immutable/);
  }, MVN_TIMEOUT);

  it('refuses a deploy with the Read-Only token: 403 and the reason in mvn output', async () => {
    writeTwoModuleProject(join(dir, 'read-only'), '1.0.1', 'hello');
    const result = await deploy(join(dir, 'read-only'), readerSettings);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('403');
    expect(result.output).toContain('This token is read-only');
    expect((await get(`${GROUP.replace(/\./g, '/')}/lib/1.0.1/lib-1.0.1.jar`)).status).toBe(404);
  }, MVN_TIMEOUT);

  it('a SNAPSHOT deployed twice: the consumer gets the newest build', async () => {
    writeTwoModuleProject(join(dir, 'snap1'), '2.0.0-SNAPSHOT', 'first');
    const first = await deploy(join(dir, 'snap1'), writerSettings);
    expect(first.code, first.output).toBe(0);
    writeTwoModuleProject(join(dir, 'snap2'), '2.0.0-SNAPSHOT', 'second');
    const second = await deploy(join(dir, 'snap2'), writerSettings);
    expect(second.code, second.output).toBe(0);
    const metadata = await (await get(`${GROUP.replace(/\./g, '/')}/lib/2.0.0-SNAPSHOT/maven-metadata.xml`)).text();
    expect(metadata).toContain('<buildNumber>2</buildNumber>');
    // Compiles only against the second build's Greeter.second().
    writeConsumerProject(join(dir, 'snap-consumer'), '2.0.0-SNAPSHOT', 'second');
    const result = await consume(join(dir, 'snap-consumer'), readerSettings);
    expect(result.code, result.output).toBe(0);
  }, MVN_TIMEOUT);

  it('a revoked token fails at once', async () => {
    const revoked = await admin.post(`/api/v1/tokens/${reader.id}/revoke`);
    expect(revoked.status).toBe(200);
    writeConsumerProject(join(dir, 'revoked'), '1.0.0', 'hello');
    const result = await consume(join(dir, 'revoked'), readerSettings);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/401|Unauthorized|revoked/);
    expect(existsSync(join(dir, 'revoked/target/classes/com/example/consumer/Main.class'))).toBe(false);
  }, MVN_TIMEOUT);
});
