import autocannon from 'autocannon';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { adminSession } from './api-calls.js';
import { staticServer } from './static-server.js';
import { ensureMaven, mvn, writeCentralSettings } from '../test/support/maven-tools.js';
import { peakRssDuring } from './oci.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';
import { spawnServer, type ServerProcess } from '../test/support/server-process.js';

const TARGET_GETS_PER_SECOND = 10_000;
const DEPENDENCIES = 100;
const DURATION_SECONDS = 8;
const CONNECTIONS = 10;
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

/** A consumer pom that depends on every deployed dependency, with no sources: `mvn compile` only resolves. */
function writeConsumer(dir: string): void {
  const deps = Array.from({ length: DEPENDENCIES }, (_, i) => `<dependency><groupId>com.flybench</groupId><artifactId>dep-${String(i).padStart(3, '0')}</artifactId><version>1.0</version></dependency>`);
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

/** Seconds for `mvn compile` (dependency resolution only) into an empty local repository. */
async function coldResolveSeconds(project: string, settings: string, central: string, work: string): Promise<number> {
  const repo = mkdtempSync(join(work, 'm2-'));
  const started = performance.now();
  const result = await mvn(project, ['-q', '-s', settings, '-gs', central, `-Dmaven.repo.local=${repo}`, 'compile']);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`mvn compile failed:\n${result.output.slice(-3000)}`);
  return seconds;
}

async function gets(url: string, auth: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers: { authorization: auth } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  return result.requests.average;
}

async function withServer<T>(fn: (server: ServerProcess, auth: { writer: string; reader: { username: string; token: string } }) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase('sqlite', '', 'flybench');
  const admin = { username: 'admin', password: `bench-${randomBytes(12).toString('hex')}` };
  const server = await spawnServer({ databaseUrl: database.url, dataDir: database.dataDir, admin, env: { FLY_LOG_LEVEL: 'warn' } });
  try {
    const session = await adminSession(server.url, admin);
    const writer = await session.createToken('bench deploy', 'read-write');
    const reader = await session.createToken('bench resolve', 'read-only');
    const basic = (t: { username: string; token: string }) => `Basic ${Buffer.from(`${t.username}:${t.token}`).toString('base64')}`;
    return await fn(server, { writer: basic(writer), reader });
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** Issue 16's figures: metadata and pom GETs/s (SQLite), cold mvn resolve of 100 deps beside a static server, RSS deploying 500 MiB. */
export const mavenSection: BenchSection = {
  name: 'maven',
  async run() {
    await ensureMaven();
    const work = mkdtempSync(join(tmpdir(), 'flybench-maven-'));
    try {
      const rows = await withServer(async (server, { writer, reader }) => {
        const files = Array.from({ length: DEPENDENCIES }, (_, i) => dependencyFiles(i)).flat();
        const staticRoot = join(work, 'static');
        for (const f of files) {
          if (!f.path.endsWith('.sha1')) await put(`${server.url}/maven/${f.path}`, writer, f.bytes, f.bytes.length);
          mkdirSync(dirname(join(staticRoot, f.path)), { recursive: true });
          writeFileSync(join(staticRoot, f.path), f.bytes);
        }
        const readerAuth = `Basic ${Buffer.from(`${reader.username}:${reader.token}`).toString('base64')}`;
        const metadata = await gets(`${server.url}/maven/${GROUP_PATH}/dep-000/maven-metadata.xml`, readerAuth);
        const pom = await gets(`${server.url}/maven/${GROUP_PATH}/dep-000/1.0/dep-000-1.0.pom`, readerAuth);
        const central = writeCentralSettings(work);
        const project = join(work, 'consumer');
        writeConsumer(project);
        const registrySeconds = await coldResolveSeconds(project, resolveSettings(work, 'registry', `${server.url}/maven/`, { username: reader.username, password: reader.token }), central, work);
        const plain = await staticServer(staticRoot);
        let staticSeconds: number;
        try {
          staticSeconds = await coldResolveSeconds(project, resolveSettings(work, 'static', plain.url), central, work);
        } finally {
          plain.stop();
        }
        const target = `>= ${TARGET_GETS_PER_SECOND.toLocaleString('en-US')} req/s`;
        return [
          { metric: 'authenticated maven-metadata.xml GETs (Basic token), SQLite', value: metadata, unit: 'req/s', target, ok: metadata >= TARGET_GETS_PER_SECOND },
          { metric: 'authenticated pom GETs (Basic token), SQLite', value: pom, unit: 'req/s', target, ok: pom >= TARGET_GETS_PER_SECOND },
          { metric: `cold mvn resolve of ${DEPENDENCIES} deployed dependencies, registry (SQLite)`, value: registrySeconds, unit: 's' },
          { metric: `cold mvn resolve of the same ${DEPENDENCIES} dependencies, plain static file server (floor)`, value: staticSeconds, unit: 's' },
        ] satisfies BenchResult[];
      });
      // On a fresh server: the load above leaves the heap grown, and RSS is a high-water mark.
      const memory = await withServer(async (server, { writer }) => {
        const chunk = randomBytes(1024 * 1024);
        const big = () => Readable.from((function* () { for (let i = 0; i < BIG_FILE_BYTES / chunk.length; i++) yield chunk; })());
        const peak = await peakRssDuring(server.pid, () => put(`${server.url}/maven/${GROUP_PATH}/big/1.0/big-1.0.jar`, writer, big(), BIG_FILE_BYTES));
        const peakMb = peak.largest / 1e6;
        return [{ metric: 'server RSS peak while deploying a 500 MiB jar', value: peakMb, unit: 'MB', target: '< 200 MB', ok: peakMb < 200 }];
      });
      return [...rows, ...memory];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
