export { ensureMaven, mvn, writeCentralSettings, type MvnResult } from '../support/maven-tools.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GROUP = 'com.example.flytest';

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
