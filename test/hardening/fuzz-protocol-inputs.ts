import { tarGzOf } from '../helpers/tar-gz.js';
import { cargoPublishBody } from '../support/cargo-publish.js';
import { zipOf } from '../support/go-zips.js';

/**
 * What the seeded fuzz (fuzz.test.ts) puts into each protocol's route parameters and bodies beyond its
 * generic odd segments: names, paths and archives close enough to the real thing to get past a protocol's
 * first checks, and the artifacts it seeds so reads, deletes and yanks find something. Keyed by protocol id;
 * a protocol without an entry is still fuzzed (every route, generic segments and bodies).
 */

/** The seeded artifacts, named here so the segments below reach them. */
const GO_MODULE = 'example.com/fuzz';
const CRATE = 'fuzzcrate';
const chartYaml = (name: string, version: string) => `apiVersion: v2\nname: ${name}\nversion: ${version}\n`;
const cargoMeta = (name: string, vers: string) => ({ name, vers, deps: [], features: {}, links: null });
const cargoToml = (name: string, vers: string) => `[package]\nname = "${name}"\nversion = "${vers}"\n`;
const POM = '<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version></project>';

/** Path segments (a wildcard's may hold `/`) that reach deep into each protocol's parsing. */
export const PROTOCOL_SEGMENTS: Record<string, readonly string[]> = {
  maven: [
    'com/example/app/1.0/app-1.0.pom', 'com/example/app/1.0/app-1.0.jar', 'com/example/app/1.0/app-1.0.pom.sha1', 'com/example/app/1.0/app-1.0.jar.md5',
    'com/example/app/1.0/app-1.0.jar.sha256', 'com/example/app/1.0/app-1.0.jar.sha512', 'com/example/app/1.0/app-1.0.pom.asc', 'com/example/app/1.0/app-1.0-sources.jar',
    'com/example/app/1.0/app-1.0.module', 'com/example/app/1.0/app-1.0.tar.gz', 'com/example/app/maven-metadata.xml', 'com/example/app/maven-metadata.xml.sha1',
    'com/example/app/maven-metadata.xml.md5', 'com/example/app/1.0-SNAPSHOT/maven-metadata.xml', 'com/example/app/1.0-SNAPSHOT/app-1.0-SNAPSHOT.pom',
    'com/example/app/1.0-SNAPSHOT/app-1.0-20201231.235959-1.jar', 'com/example/app/1.0-SNAPSHOT/app-1.0-20201231.235959-1.pom.sha1',
    'com/example/app/1.0-SNAPSHOT/app-1.0-20201231.235959-0-tests.jar', 'com/example/app/1.0-SNAPSHOT/app-1.0-99999999.999999-99999999999999999999.jar',
    'com/example/app/1.0-SNAPSHOT/app-1.0-2020.1-1.jar', 'com/example/app/1.0-SNAPSHOT/app-1.0-SNAPSHOT-20201231.235959-1.jar', 'com/example/app/1.0/',
    'com/example/app/', 'com/', 'app-1.0.pom', 'app/1.0/app-1.0.pom', 'com/example/app/1.0/other-1.0.pom', 'com/example/app/1.0/app-2.0.pom', 'com/example/app/1.0/app-1.0',
    'com/example/app/1.0/app-1.0.', 'com/example/app/1.0/app-1.0..jar', 'com//example/app/1.0/app-1.0.pom', 'com/example/app/%2e%2e/1.0/app-1.0.pom',
    'com/Example/APP/1.0/APP-1.0.pom', 'com/example/app/1.0/app-1.0.pom.sha1.sha1', 'com/example/app/1.0/maven-metadata.xml', 'maven-metadata.xml',
    'com/example/app/-SNAPSHOT/app--SNAPSHOT.pom', 'com/example/app/1.0/app-1.0-.jar', 'com/example/app/1.0/app-1.0--x.jar', `com/example/${'a'.repeat(300)}/1.0/${'a'.repeat(300)}-1.0.pom`,
    'com/example/app/1.0/app-1.0.jar/', 'com/example/app/1.0/.sha1', 'com/example/app/1.0/app-1.0.pom%00.jar', 'com/example/app%2f1.0/app-1.0.pom',
  ],
  go: [
    `${GO_MODULE}/@v/list`, `${GO_MODULE}/@latest`, `${GO_MODULE}/@v/v1.0.0.info`, `${GO_MODULE}/@v/v1.0.0.mod`, `${GO_MODULE}/@v/v1.0.0.zip`, `${GO_MODULE}/@v/v1.0.0`,
    `${GO_MODULE}/@v/v1.2.3.zip`, `${GO_MODULE}/@v/v0.0.0-20200101000000-abcdefabcdef.info`, `${GO_MODULE}/@v/v0.0.0-20200101000000-abcdefabcdef.zip`,
    `${GO_MODULE}/@v/v2.0.0+incompatible.zip`, `${GO_MODULE}/v2/@v/v2.0.0.mod`, `${GO_MODULE}/v2/@v/v1.0.0.zip`, `${GO_MODULE}/@v/v1.2.3-pre.1+build.5.info`,
    `${GO_MODULE}/@v/1.0.0.zip`, `${GO_MODULE}/@v/v1.0.zip`, `${GO_MODULE}/@v/v1.0.0.ZIP`, `${GO_MODULE}/@v/v!1.0.0.info`, `${GO_MODULE}/@v/.info`, `${GO_MODULE}/@v/`,
    `${GO_MODULE}/@v/v99999999999999999999.0.0.info`, `${GO_MODULE}/@v/v1.0.0-0.zip`, `${GO_MODULE}/@v/v1.0.0.zip/extra`, `${GO_MODULE}/@v/list/@v/list`,
    'github.com/!azure/sdk/@v/v1.2.3.mod', 'github.com/!a!b!c/@v/list', 'example.com/!!x/@v/list', 'example.com/x!/@latest', 'example.com/!/@latest', 'Example.com/fuzz/@v/list',
    'gopkg.in/yaml.v3/@v/v3.0.1.mod', 'example.com/..../@latest', 'example.com/./x/@v/list', '@v/list', '/@v/list', '@latest', 'sumdb/sum.golang.org/supported',
    'sumdb/sum.golang.org/lookup/example.com/fuzz@v1.0.0', 'example.com/fuzz@v1.0.0/@v/list', `example.com/${'a'.repeat(600)}/@v/list`, 'example.com/a b/@v/list',
    'example.com/fuzz/@v/v1.0.0%2ezip', 'example.com/fuzz/@v/%76%31%2e%30%2e%30.info', 'example.com/fuzz/@v/v1.0.0-!r!c.1.info',
  ],
  helm: [
    'fuzz-1.0.0.tgz', 'fuzz-1.0.0.tgz.prov', 'index.yaml', 'fuzz-1.0.0-rc.1+build.5.tgz', '-1.0.0.tgz', 'fuzz.tgz', 'fuzz-1.0.tgz', 'fuzz-v1.0.0.tgz', 'fuzz-1.0.0.zip',
    'fuzz', '1.0.0', 'FUZZ-1.0.0.tgz', 'a-b-c-1.0.0.tgz', 'fuzz-1.0.0-.tgz', 'fuzz-01.0.0.tgz', 'fuzz-99999999999999999999.0.0.tgz', `${'a'.repeat(300)}-1.0.0.tgz`, '.tgz',
    'fuzz-1.0.0.tgz.tgz', 'fuzz--1.0.0.tgz',
  ],
  cargo: [
    'fu/zz/fuzzcrate', `fu/zz/${CRATE}`, 'fu/zz/FuzzCrate', 'fu/zz/fuzz-crate', 'fu/zz/fuzz_crate', '1/a', '2/ab', '3/a/abc', '3/b/abc', 'config.json', 'xx/yy/zz', 'fu/zz',
    'fu/zz/fuzzcrate/extra', CRATE, 'Fuzz_Crate', 'a', '1crate', 'x'.repeat(65), 'new', 'crate-', '_crate', 'cr%C3%A4te', '1.0.0', '1.0.0-alpha.1+build.7', '1.0', 'v1.0.0',
    '01.0.0', '1.0.0-', '99999999999999999999.0.0', '1.0.0+', `${CRATE}/1.0.0`,
  ],
  generic: [
    'fuzz/1.0/file.bin', 'fuzz/1.0/', 'fuzz/', 'fuzz/1.0', 'fuzz/1.0/dir/sub/file.txt', 'fuzz/1.0/.hidden', 'fuzz/1.0/a b.txt', 'fuzz/1.0/%2e%2e', 'fuzz/1.0/%2e',
    'fuzz/1.0/file%20name.tar.gz', 'fuzz/1.0/%F0%9F%98%80.bin', 'fuzz/1.0/CON', 'fuzz/1.0/nul', `fuzz/1.0/${'x'.repeat(300)}`, `fuzz/${'9'.repeat(200)}/file`, 'fuzz//1.0/file',
    'fuzz/1.0/file.bin/', 'Fuzz/1.0/file.bin', 'fuzz/1.0/%5c..%5cx', 'fuzz/1.0/a:b', 'fuzz/1.0/a%22b', 'fuzz/1.0/a%0d%0ab', 'fuzz/1.0/a%3bfilename%3dx', 'fuzz/1.0/%00',
    'fuzz/1.0/a%09b', 'fuzz/1.0/%7f', 'fuzz/1.0/a%2fb', '%2e%2e/1.0/file', 'fuzz/%2e%2e/file', 'fuzz/1.0/%c3%28', 'fuzz/1.0/%e2%80%ae',
  ],
};

/** A zip whose entry names have `from` replaced by `to` (same length), in both headers: names yazl refuses to write. */
function renamed(zip: Buffer, from: string, to: string): Buffer {
  return Buffer.from(zip.toString('latin1').replaceAll(from, to), 'latin1');
}

/** YAML's "billion laughs": each anchor aliases the one before it five times. */
function yamlLaughs(): string {
  const lines = ['name: &a0 ["lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`l${i}: &a${i} [${Array.from({ length: 5 }, () => `*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\nversion: 1.0.0\n`;
}

/** The real artifacts, version 1.0.0 (1.0 for Maven): what the fuzz seeds, and what its bodies start from. */
async function realArtifacts(): Promise<{ jar: Buffer; goZip: Buffer; chart: Buffer; crate: Buffer }> {
  return {
    jar: await zipOf({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n' }),
    goZip: await zipOf({ [`${GO_MODULE}@v1.0.0/go.mod`]: `module ${GO_MODULE}\n`, [`${GO_MODULE}@v1.0.0/a.go`]: 'package fuzz\n' }),
    chart: tarGzOf({ 'fuzz/Chart.yaml': chartYaml('fuzz', '1.0.0') }),
    crate: tarGzOf({ [`${CRATE}-1.0.0/Cargo.toml`]: cargoToml(CRATE, '1.0.0') }),
  };
}

/** Bodies for each protocol's uploads: the real thing, and the real thing broken (truncated, lying, malformed). */
export async function protocolBodies(): Promise<Record<string, Buffer[]>> {
  const { jar, goZip, chart, crate } = await realArtifacts();
  // A publish body framed by hand: u32 LE JSON length, the bytes given, u32 LE .crate length (both may lie).
  const framed = (jsonLength: number, rest: Buffer, crateLength: number) => {
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32LE(jsonLength, 0);
    lengths.writeUInt32LE(crateLength, 4);
    return Buffer.concat([lengths.subarray(0, 4), rest, lengths.subarray(4)]);
  };
  return {
    maven: [
      Buffer.from(POM), Buffer.from(POM.slice(0, 60)), Buffer.from('<project><groupId>com.example</groupId><artifactId>app'), jar, jar.subarray(0, jar.length - 10),
      Buffer.from(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "${'a'.repeat(100)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><project>&c;</project>`),
      Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><metadata><groupId>&e;</groupId></metadata>'),
      Buffer.from('<metadata><groupId>com.example</groupId><artifactId>app</artifactId><versioning><versions><version>1.0</version>'),
      Buffer.from('da39a3ee5e6b4b0d3255bfef95601890afd80709'), Buffer.from('da39a3ee5e6b4b0d3255bfef95601890afd80709  app-1.0.pom\n'), Buffer.from('not-a-checksum'),
      Buffer.from(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`),
    ],
    go: [
      goZip, goZip.subarray(0, goZip.length - 22), goZip.subarray(0, 40), Buffer.concat([Buffer.from('PK\u0005\u0006'), Buffer.alloc(18, 0xff)]),
      await zipOf({ 'go.mod': `module ${GO_MODULE}\n` }), renamed(await zipOf({ [`${GO_MODULE}@v1.0.0/xx/xx/evil`]: 'x' }), 'xx/xx', '../..'),
      await zipOf({ [`${GO_MODULE}@v1.0.0/go.mod`]: 'module other.example/x\n' }), await zipOf({ [`${GO_MODULE}@v1.0.0/go.mod`]: '\u0000\u0001garbage(' }),
      Buffer.from(`module ${GO_MODULE}\n`), Buffer.from('{"Version":"v1.0.0","Time":"not a time"}'),
    ],
    helm: [
      chart, chart.subarray(0, chart.length - 8), chart.subarray(0, 30), tarGzOf({ 'fuzz/Chart.yaml': 'name: [unclosed\nversion: {' }), tarGzOf({ 'fuzz/Chart.yaml': yamlLaughs() }),
      tarGzOf({ 'fuzz/Chart.yaml': chartYaml('other', '1.0.0') }), tarGzOf({ 'fuzz/Chart.yaml': chartYaml('fuzz', 'not-semver') }), tarGzOf({ 'fuzz/Chart.yaml': 'name: 5\nversion: [1]\n' }),
      tarGzOf({ '../Chart.yaml': chartYaml('fuzz', '1.0.0') }), tarGzOf({ 'fuzz/values.yaml': 'a: 1\n' }), Buffer.from('apiVersion: v1\nentries:\n  fuzz: [{'),
      Buffer.from('--xyz\r\nContent-Disposition: form-data; name="chart"; filename="fuzz-1.0.0.tgz"\r\n\r\n'),
    ],
    cargo: [
      cargoPublishBody(cargoMeta(CRATE, '1.0.1'), crate), cargoPublishBody(cargoMeta(CRATE, '1.0.2'), crate, crate.length + 1000), cargoPublishBody(cargoMeta(CRATE, '1.0.3'), crate, 0xffffffff),
      cargoPublishBody(cargoMeta(CRATE, '1.0.4'), crate, 1), cargoPublishBody(cargoMeta(CRATE, '1.0.5'), crate).subarray(0, 50), framed(0xffffffff, Buffer.from('{}'), 0),
      framed(0, Buffer.alloc(0), 0), framed(10, Buffer.from('{"name":'), 5), framed(2, Buffer.from('{}'), 0), Buffer.from([1, 0]),
      cargoPublishBody({ name: 1, vers: [], deps: 'x', features: null }, crate), cargoPublishBody({ name: CRATE, vers: '1.0.6', deps: [{ name: null, version_req: 5, features: 'x' }] }, crate),
      cargoPublishBody(cargoMeta(CRATE, '1.0.7'), Buffer.from('not a crate')), cargoPublishBody(cargoMeta('Other-Crate', '1.0.0'), crate),
    ],
  };
}

/** The artifacts the fuzz seeds before it starts, so its segments above name things that exist. */
export async function seedUploads(): Promise<{ method: string; path: string; body: Buffer }[]> {
  const { jar, goZip, chart, crate } = await realArtifacts();
  return [
    { method: 'PUT', path: '/maven/com/example/app/1.0/app-1.0.pom', body: Buffer.from(POM) },
    { method: 'PUT', path: '/maven/com/example/app/1.0/app-1.0.jar', body: jar },
    { method: 'PUT', path: '/maven/com/example/app/1.0-SNAPSHOT/app-1.0-20201231.235959-1.jar', body: Buffer.from('snapshot') },
    { method: 'PUT', path: '/generic/fuzz/1.0/file.bin', body: Buffer.from('generic file') },
    { method: 'PUT', path: `/go/${GO_MODULE}/@v/v1.0.0.zip`, body: goZip },
    { method: 'PUT', path: '/helm/charts/fuzz-1.0.0.tgz', body: chart },
    { method: 'PUT', path: '/cargo/api/v1/crates/new', body: cargoPublishBody(cargoMeta(CRATE, '1.0.0'), crate) },
  ];
}
