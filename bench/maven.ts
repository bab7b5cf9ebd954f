import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { adminSession } from './api-calls.js';
import { installed } from './load.js';
import { metadataGets, type ServerData } from './metadata-gets.js';
import { staticServer } from './static-server.js';
import { ensureMaven, mvn, writeCentralSettings } from '../test/support/maven-tools.js';
import { peakRssDuring } from './oci.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const DEPENDENCIES = 100;
/** Cold resolves per server, alternating; the fastest of each is reported (the machine is shared). */
const RESOLVE_ROUNDS = 2;
const BIG_FILE_BYTES = 500 * 1024 * 1024;
const GROUP_PATH = 'com/flybench';

/** The files of one deployed dependency: its pom and a small jar, with `.sha1` companions as Maven checks them. */
function dependencyFiles(i: number): { path: string; bytes: Buffer }[] {
  const artifactId = `dep-${String(i).padStart(3, '0')}`;
  const pom = `<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.flybench</groupId><artifactId>${artifactId}</artifactId><version>1.0</version></project>\n`;
  const base = `${GROUP_PATH}/${artifactId}/1.0/${artifactId}-1.0`;
  const files = [
    { path: `${base}.pom`, bytes: Buffer.from(pom) },
    { path: `${base}.jar`, bytes: randomBytes(4096) },
  ];
  return files.flatMap((f) => [f, { path: `${f.path}.sha1`, bytes: Buffer.from(createHash('sha1').update(f.bytes).digest('hex')) }]);
}

async function put(url: string, auth: string, body: Buffer | Readable, length: number): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { authorization: auth, 'content-length': String(length) },
    body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 201) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
}

/** A consumer pom that depends on the first `count` deployed dependencies, with no sources: `mvn compile` only resolves. */
function writeConsumer(dir: string, count: number): void {
  const deps = Array.from({ length: count }, (_, i) => `<dependency><groupId>com.flybench</groupId><artifactId>dep-${String(i).padStart(3, '0')}</artifactId><version>1.0</version></dependency>`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.flybench</groupId><artifactId>consumer</artifactId><version>1.0</version>` +
      `<properties><maven.compiler.source>17</maven.compiler.source><maven.compiler.target>17</maven.compiler.target></properties><dependencies>${deps.join('')}</dependencies></project>`,
  );
}

/** settings.xml for the resolve: the repository (with credentials when given) in an active profile. */
function resolveSettings(dir: string, name: string, url: string, credentials?: { username: string; password: string }): string {
  const path = join(dir, `${name}-settings.xml`);
  const server = credentials ? `<servers><server><id>bench</id><username>${credentials.username}</username><password>${credentials.password}</password></server></servers>` : '';
  writeFileSync(
    path,
    `<settings>${server}<profiles><profile><id>bench</id><repositories><repository><id>bench</id><url>${url}</url></repository></repositories></profile></profiles>` +
      `<activeProfiles><activeProfile>bench</activeProfile></activeProfiles></settings>`,
  );
  return path;
}

/** `mvn compile` with the resolve's settings, its local repository and global settings (the Central the build sees). */
async function compile(project: string, settings: string, central: string, repo: string): Promise<number> {
  const started = performance.now();
  const result = await mvn(project, ['-q', '-s', settings, '-gs', central, `-Dmaven.repo.local=${repo}`, 'compile']);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`mvn compile failed:\n${result.output.slice(-3000)}`);
  return seconds;
}

/**
 * The plugins `mvn compile` runs (resources, compiler and what they depend on), resolved once from the
 * Maven Central cache into a local repository of their own: the consumer's pom without its dependencies
 * builds with exactly the same plugins.
 */
async function warmPlugins(work: string, settings: string): Promise<string> {
  const project = join(work, 'plugins-project');
  writeConsumer(project, 0);
  const repo = join(work, 'plugins');
  await compile(project, settings, writeCentralSettings(work), repo);
  if (existsSync(join(repo, GROUP_PATH))) throw new Error('the plugin repository holds a dependency under test');
  return repo;
}

/**
 * Global settings whose Central is an empty directory: a timed resolve reaches nothing but the server under
 * test and its local repository (a plugin missing from the warmed copy fails the build instead of being
 * fetched inside the timing).
 */
function unreachableCentral(work: string): string {
  const dir = join(work, 'no-central');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'settings.xml');
  writeFileSync(path, readFileSync(writeCentralSettings(work), 'utf8').replaceAll(/<url>file:\/\/[^<]*<\/url>/g, `<url>file://${join(dir, 'empty')}</url>`));
  return path;
}

/**
 * Seconds for `mvn compile` of the consumer (its only work is resolving the 100 dependencies): a local
 * repository holding the warmed plugins and none of the dependencies, copied before the clock starts.
 */
async function coldResolveSeconds(project: string, settings: string, plugins: string, central: string, work: string): Promise<number> {
  const repo = mkdtempSync(join(work, 'm2-'));
  cpSync(plugins, repo, { recursive: true });
  try {
    return await compile(project, settings, central, repo);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** A server as `npm start` runs it but in one process (access log on), its output in a file rather than in memory. */
async function withServer<T>(fn: (server: ServerProcess, auth: { writer: string; reader: { username: string; token: string } }, data: ServerData) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase('sqlite', '', 'flybench');
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl: database.url, dataDir: database.dataDir, admin, logFile: join(database.dataDir, 'server.log') });
  try {
    const session = await adminSession(server.url, admin);
    const writer = await session.createToken('bench deploy', 'read-write');
    const reader = await session.createToken('bench resolve', 'read-only');
    const basic = (t: { username: string; token: string }) => `Basic ${Buffer.from(`${t.username}:${t.token}`).toString('base64')}`;
    return await fn(server, { writer: basic(writer), reader }, { databaseUrl: database.url, dataDir: database.dataDir, admin });
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** Issue 16's figures: metadata and pom GETs/s (SQLite), cold mvn resolve of 100 deps beside a static server, RSS deploying 500 MiB. */
export const mavenSection: BenchSection = {
  name: 'maven',
  async run() {
    if (!installed('wrk')) throw new Error('wrk is not installed: run scripts/install-bench-tools.sh');
    await ensureMaven();
    const work = mkdtempSync(join(tmpdir(), 'flybench-maven-'));
    try {
      const rows = await withServer(async (server, { writer, reader }, data) => {
        const files = Array.from({ length: DEPENDENCIES }, (_, i) => dependencyFiles(i)).flat();
        const staticRoot = join(work, 'static');
        for (const f of files) {
          if (!f.path.endsWith('.sha1')) await put(`${server.url}/maven/${f.path}`, writer, f.bytes, f.bytes.length);
          mkdirSync(dirname(join(staticRoot, f.path)), { recursive: true });
          writeFileSync(join(staticRoot, f.path), f.bytes);
        }
        const readerAuth = `Basic ${Buffer.from(`${reader.username}:${reader.token}`).toString('base64')}`;
        const getRows = await metadataGets(server, data, [
          { what: 'maven-metadata.xml (Basic token)', path: `/maven/${GROUP_PATH}/dep-000/maven-metadata.xml`, headers: { authorization: readerAuth } },
          { what: 'pom (Basic token)', path: `/maven/${GROUP_PATH}/dep-000/1.0/dep-000-1.0.pom`, headers: { authorization: readerAuth } },
        ]);

        const project = join(work, 'consumer');
        writeConsumer(project, DEPENDENCIES);
        const misses = join(work, 'static-misses.log');
        writeFileSync(misses, '');
        const plain = await staticServer(staticRoot, misses);
        const registrySettings = resolveSettings(work, 'registry', `${server.url}/maven/`, { username: reader.username, password: reader.token });
        const staticSettings = resolveSettings(work, 'static', plain.url);
        const times = { registry: Infinity, static: Infinity };
        try {
          const plugins = await warmPlugins(work, staticSettings);
          const central = unreachableCentral(work);
          for (let round = 0; round < RESOLVE_ROUNDS; round++) {
            times.registry = Math.min(times.registry, await coldResolveSeconds(project, registrySettings, plugins, central, work));
            times.static = Math.min(times.static, await coldResolveSeconds(project, staticSettings, plugins, central, work));
          }
        } finally {
          plain.stop();
        }
        const missed = readFileSync(misses, 'utf8').trim();
        if (missed) throw new Error(`the static server lacked files Maven asked for:\n${missed.slice(0, 2000)}`);

        return [
          ...getRows,
          { metric: `cold mvn resolve of ${DEPENDENCIES} deployed dependencies (pom, jar, .sha1), registry (SQLite), plugins warm`, value: times.registry, unit: 's' },
          { metric: `cold mvn resolve of the same ${DEPENDENCIES} dependencies, plain static file server (floor), plugins warm`, value: times.static, unit: 's' },
        ] satisfies BenchResult[];
      });
      // On a fresh server: the load above leaves the heap grown, and RSS is a high-water mark.
      const memory = await withServer(async (server, { writer }) => {
        const chunk = randomBytes(1024 * 1024);
        const big = () => Readable.from((function* () { for (let i = 0; i < BIG_FILE_BYTES / chunk.length; i++) yield chunk; })());
        const idle = await peakRssDuring(server.pid, async () => undefined);
        const peak = await peakRssDuring(server.pid, () => put(`${server.url}/maven/${GROUP_PATH}/big/1.0/big-1.0.jar`, writer, big(), BIG_FILE_BYTES));
        const peakMb = peak.largest / 1e6;
        return [
          { metric: 'server RSS before the 500 MiB deploy (idle, after login and token creation)', value: idle.largest / 1e6, unit: 'MB' },
          { metric: 'server RSS peak while deploying a 500 MiB jar', value: peakMb, unit: 'MB', target: '< 200 MB', ok: peakMb < 200 },
        ];
      });
      return [...rows, ...memory];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
