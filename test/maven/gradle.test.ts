import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { runTool } from '../helpers/run-tool.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A Gradle start (no daemon) takes 20 s alone, much longer on a loaded machine. */
const GRADLE_TIMEOUT = 600_000;
const GROUP_PATH = 'com/example/flygradle';

/**
 * Gradle resolving from the Maven repository with token credentials, as a Gradle build is written for it.
 * The Gradle here is Debian's 4.4.1 (the only one installable from this machine's package sources: Gradle's
 * own distributions are not reachable), so the build scripts use its Groovy DSL. Its `maven-publish` cannot
 * deploy over HTTP at all (Debian packages it without Maven Resolver's HTTP transport: "Cannot access … using
 * the available connector factories"), so the library is deployed here over the wire as a Gradle publish would.
 */
describe('Gradle resolves from the Maven repository with tokens', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let dir: string;

  const put = async (path: string, body: string | Buffer) =>
    fetch(`${server.url}/maven/${path}`, { method: 'PUT', headers: basicAuth(writer.username, writer.token), body: typeof body === 'string' ? body : new Uint8Array(body) });

  /** A consumer project whose only repository is Fly's, with the token in gradle.properties (the snippet's way). */
  function consumer(name: string, token: { username: string; token: string }): string {
    const project = join(dir, name);
    mkdirSync(join(project, 'src/main/java/app'), { recursive: true });
    writeFileSync(join(project, 'settings.gradle'), `rootProject.name = '${name}'\n`);
    writeFileSync(join(project, 'gradle.properties'), `flyUsername=${token.username}\nflyPassword=${token.token}\n`);
    writeFileSync(
      join(project, 'build.gradle'),
      [
        "apply plugin: 'java'",
        `repositories { maven { url '${server.url}/artifactory/maven/'; credentials { username flyUsername; password flyPassword } } }`,
        "dependencies { compile 'com.example.flygradle:greeter:1.0.0' }",
        '',
      ].join('\n'),
    );
    writeFileSync(join(project, 'src/main/java/app/Main.java'), 'package app; public class Main { public static String hi() { return com.example.flygradle.Greeter.hi(); } }\n');
    return project;
  }

  /** `gradle build` with a fresh Gradle home: whatever it resolves must come from the registry. */
  const build = (project: string) =>
    runTool('gradle', ['--no-daemon', '--console=plain', 'build'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: project, GRADLE_USER_HOME: mkdtempSync(join(dir, 'gradle-home-')) },
      timeoutMs: GRADLE_TIMEOUT,
    });

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'library-ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'gradle-consumer', permission: 'read-only' });
    dir = mkdtempSync(join(tmpdir(), 'flyreg-gradle-'));
    // The library: a class compiled by the JDK into a jar, and its pom.
    const source = join(dir, 'lib/com/example/flygradle');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'Greeter.java'), 'package com.example.flygradle; public class Greeter { public static String hi() { return "hi"; } }\n');
    const compiled = await runTool('javac', ['-d', join(dir, 'classes'), join(source, 'Greeter.java')], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(compiled.code, compiled.output).toBe(0);
    const jarred = await runTool('jar', ['cf', join(dir, 'greeter.jar'), '-C', join(dir, 'classes'), '.'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(jarred.code, jarred.output).toBe(0);
    expect((await put(`${GROUP_PATH}/greeter/1.0.0/greeter-1.0.0.jar`, readFileSync(join(dir, 'greeter.jar')))).status).toBe(201);
    const pom =
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
      '<groupId>com.example.flygradle</groupId><artifactId>greeter</artifactId><version>1.0.0</version></project>\n';
    expect((await put(`${GROUP_PATH}/greeter/1.0.0/greeter-1.0.0.pom`, pom)).status).toBe(201);
  }, GRADLE_TIMEOUT);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'a read-only token resolves and compiles against the library; once revoked, the next build is refused',
    async () => {
      const project = consumer('app', reader);
      const ok = await build(project);
      expect(ok.code, ok.output).toBe(0);
      expect(ok.output).toContain('BUILD SUCCESSFUL');

      await admin.post(`/api/v1/tokens/${reader.id}/revoke`, {});
      const refused = await build(project);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/Could not resolve com\.example\.flygradle:greeter:1\.0\.0/);
      expect(refused.output).toContain('401');
      expect(refused.output).not.toContain(reader.token);
    },
    GRADLE_TIMEOUT,
  );

  it(
    'a wrong secret is refused with 401, not served',
    async () => {
      const refused = await build(consumer('intruder', { username: reader.username, token: `${writer.token.slice(0, -4)}AAAA` }));
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain('401');
    },
    GRADLE_TIMEOUT,
  );
});
