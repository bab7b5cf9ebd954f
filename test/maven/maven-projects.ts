import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The plugin cache scripts/install-maven.sh fills: the tests' "central", as a file:// repository. */
export const CENTRAL_CACHE = process.env.FLY_MAVEN_CENTRAL_CACHE ?? '/var/cache/fly-registry/maven-central';

export const GROUP = 'com.example.flytest';

/** Makes sure Maven and the plugin cache are there (a no-op when they are; refills a cache someone emptied). */
export async function ensureMaven(): Promise<void> {
  const script = fileURLToPath(new URL('../../scripts/install-maven.sh', import.meta.url));
  await promisify(execFile)('bash', [script], { env: { ...process.env, FLY_MAVEN_CENTRAL_CACHE: CENTRAL_CACHE }, timeout: 600_000 });
}

/**
 * Global settings that point Maven Central at the local plugin cache (the registry's settings.xml stays
 * exactly as generated, passed with -s). No mirror: requests for the registry's artifacts go to it.
 */
export function writeCentralSettings(dir: string): string {
  const path = join(dir, 'central-settings.xml');
  const central = `<id>central</id><url>file://${CENTRAL_CACHE}</url><releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>`;
  writeFileSync(
    path,
    `<settings><profiles><profile><id>cached-central</id><repositories><repository>${central}</repository></repositories>` +
      `<pluginRepositories><pluginRepository>${central}</pluginRepository></pluginRepositories></profile></profiles>` +
      `<activeProfiles><activeProfile>cached-central</activeProfile></activeProfiles></settings>`,
  );
  return path;
}

const PROPERTIES = `<properties><maven.compiler.source>17</maven.compiler.source><maven.compiler.target>17</maven.compiler.target><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>`;

function writeJava(moduleDir: string, pkg: string, cls: string, body: string): void {
  const dir = join(moduleDir, 'src/main/java', ...pkg.split('.'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${cls}.java`), `package ${pkg};\n${body}\n`);
}

/**
 * A two-module build (parent, `lib`, and `app` depending on lib) at `version`; `greeting` names the
 * method lib's Greeter has, so a consumer that compiles against it proves which build it resolved.
 */
export function writeTwoModuleProject(dir: string, version: string, greeting: string): void {
  mkdirSync(dir, { recursive: true });
  const parent = `<parent><groupId>${GROUP}</groupId><artifactId>parent</artifactId><version>${version}</version></parent>`;
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>${GROUP}</groupId><artifactId>parent</artifactId>` +
      `<version>${version}</version><packaging>pom</packaging>${PROPERTIES}<modules><module>lib</module><module>app</module></modules></project>`,
  );
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'lib/pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>${parent}<artifactId>lib</artifactId></project>`);
  writeJava(join(dir, 'lib'), 'com.example.flytest.lib', 'Greeter', `public class Greeter { public static String ${greeting}() { return "${greeting}"; } }`);
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(
    join(dir, 'app/pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>${parent}<artifactId>app</artifactId>` +
      `<dependencies><dependency><groupId>${GROUP}</groupId><artifactId>lib</artifactId><version>${version}</version></dependency></dependencies></project>`,
  );
  writeJava(join(dir, 'app'), 'com.example.flytest.app', 'App', `public class App { public static void main(String[] a) { System.out.println(com.example.flytest.lib.Greeter.${greeting}()); } }`);
}

/** A separate project that depends on lib `version` and calls `greeting` on it. */
export function writeConsumerProject(dir: string, version: string, greeting: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.example.consumer</groupId><artifactId>consumer</artifactId>` +
      `<version>1.0</version>${PROPERTIES}<dependencies><dependency><groupId>${GROUP}</groupId><artifactId>lib</artifactId><version>${version}</version></dependency></dependencies></project>`,
  );
  writeJava(dir, 'com.example.consumer', 'Main', `public class Main { public static void main(String[] a) { System.out.println(com.example.flytest.lib.Greeter.${greeting}()); } }`);
}

export interface MvnResult {
  code: number | null;
  output: string;
}

/** Runs mvn in batch mode with a time bound; the output is returned, never printed. */
export function mvn(cwd: string, args: string[], timeoutMs = 180_000): Promise<MvnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', '--no-transfer-progress', ...args], { cwd, env: { ...process.env, MAVEN_OPTS: '-Xmx256m' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
