import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { create as createTar } from 'tar';
import { indexPath } from '../src/core/cargo/names.js';
import { cargoPublishBody } from '../test/support/cargo-publish.js';
import { cargoHome, runCargo } from '../test/support/cargo-tool.js';
import { goConsumerEnv, runGo, writeTree } from '../test/support/go-tool.js';
import { zipOf } from '../test/support/go-zips.js';
import type { ServerProcess } from '../test/support/server-process.js';
import { startTlsFront } from '../test/support/tls-front.js';
import type { BenchResult } from './section.js';
import { staticServer } from './static-server.js';

/** How many private dependencies the cold builds pull. */
const DEPENDENCIES = 50;
const GO_MOUNT = '/artifactory/api/go/go';
const CARGO_INDEX = '/artifactory/api/cargo/cargo/index';

export async function put(url: string, authorization: string, body: Buffer): Promise<void> {
  const res = await fetch(url, { method: 'PUT', headers: { authorization }, body: new Uint8Array(body) });
  if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
}

/** Publishes `module` v1.0.0 (one package exporting Name()) through the upload endpoint the Go tests use. */
export async function publishGoModule(server: ServerProcess, authorization: string, module: string): Promise<void> {
  const pkg = module.slice(module.lastIndexOf('/') + 1);
  const zip = await zipOf({
    [`${module}@v1.0.0/go.mod`]: `module ${module}\n\ngo 1.22\n`,
    [`${module}@v1.0.0/${pkg}.go`]: `package ${pkg}\n\n// Name names the module.\nfunc Name() string { return "${module}" }\n`,
  });
  await put(`${server.url}/go/${module}/@v/v1.0.0.zip`, authorization, zip);
}

/** Publishes crate `name` 1.0.0 (a library exporting name()) through Cargo's publish API, as `cargo publish` sends it. */
export async function publishCrate(server: ServerProcess, authorization: string, work: string, name: string): Promise<void> {
  const dir = `${name}-1.0.0`;
  writeTree(join(work, dir), {
    'Cargo.toml': `[package]\nname = "${name}"\nversion = "1.0.0"\nedition = "2021"\n`,
    'src/lib.rs': `pub fn name() -> &'static str { "${name}" }\n`,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ gzip: true, cwd: work }, [dir]) as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  const meta = { name, vers: '1.0.0', deps: [], features: {}, links: null };
  await put(`${server.url}/cargo/api/v1/crates/new`, authorization, cargoPublishBody(meta, Buffer.concat(chunks)));
}

/** Copies `path` as the registry answers it to the same path under `root`, for the static floor. */
async function mirror(server: ServerProcess, authorization: string, path: string, root: string, as = path): Promise<void> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  mkdirSync(dirname(join(root, as)), { recursive: true });
  writeFileSync(join(root, as), Buffer.from(await res.arrayBuffer()));
}

/** Seconds `work` takes; fails the bench when the client failed. */
async function seconds(what: string, work: () => Promise<{ code: number; output: string }>): Promise<number> {
  const start = performance.now();
  const run = await work();
  if (run.code !== 0) throw new Error(`${what} failed:\n${run.output.slice(-4000)}`);
  return (performance.now() - start) / 1000;
}

interface ColdBuild {
  /** Fetching the dependencies into the empty cache. */
  fetch: number;
  /** Fetching and building. */
  total: number;
}

const names = (prefix: string) => Array.from({ length: DEPENDENCIES }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

/**
 * `go mod download` then `go build` of a module requiring 50 private modules, with an empty GOMODCACHE and
 * a build cache holding only the runtime (a copy of one made once, so neither run reuses the other's
 * compiled dependencies), through an HTTPS front (go sends .netrc credentials over HTTPS only): against
 * our GOPROXY with a read-only token, then against a static server holding the files our proxy answered.
 */
async function goBuilds(server: ServerProcess, writeAuth: string, reader: { username: string; token: string }, work: string): Promise<{ ours: ColdBuild; floor: ColdBuild }> {
  const modules = names('example.com/benchdeps/dep');
  for (const module of modules) await publishGoModule(server, writeAuth, module);
  const root = mkdtempSync(join(work, 'go-static-'));
  const readAuth = `Basic ${Buffer.from(`${reader.username}:${reader.token}`).toString('base64')}`;
  for (const module of modules) {
    for (const file of ['list', 'v1.0.0.info', 'v1.0.0.mod', 'v1.0.0.zip']) await mirror(server, readAuth, `${GO_MOUNT}/${module}/@v/${file}`, root);
  }
  const runtimeCache = join(work, 'go-runtime-cache');
  const empty = writeTree(join(work, 'go-empty'), { 'go.mod': 'module empty\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' });
  await seconds('go build (runtime cache)', () => runGo(['build', '-o', join(empty, 'bin'), '.'], empty, { HOME: empty, GOCACHE: runtimeCache, GOMODCACHE: join(empty, 'mod'), GOPROXY: 'off' }));

  const build = async (name: string, front: { url: string; host: string; certFile: string }): Promise<ColdBuild> => {
    const requires = modules.map((m) => `\t${m} v1.0.0\n`).join('');
    const imports = modules.map((m) => `\t"${m}"\n`).join('');
    const app = writeTree(join(work, `go-${name}`), {
      'go.mod': `module example.com/benchapp\n\ngo 1.22\n\nrequire (\n${requires})\n`,
      'main.go': `package main\n\nimport (\n${imports})\n\nfunc main() {\n${modules.map((m) => `\tprintln(${m.slice(m.lastIndexOf('/') + 1)}.Name())\n`).join('')}}\n`,
    });
    const env = { ...goConsumerEnv(work, front, `go-${name}`, reader), GOCACHE: join(work, `go-${name}-cache`) };
    cpSync(runtimeCache, env.GOCACHE, { recursive: true });
    const fetch = await seconds(`go mod download (${name})`, () => runGo(['mod', 'download'], app, env));
    const compile = await seconds(`go build (${name})`, () => runGo(['build', '-o', join(app, 'bin'), '.'], app, env));
    return { fetch, total: fetch + compile };
  };
  const plain = await staticServer(root);
  const fronts = [await startTlsFront(server.url, mkdtempSync(join(work, 'front-'))), await startTlsFront(plain.url.replace(/\/$/, ''), mkdtempSync(join(work, 'front-')))];
  try {
    const ours = await build('ours', fronts[0] as (typeof fronts)[0]);
    const floor = await build('static', fronts[1] as (typeof fronts)[0]);
    return { ours, floor };
  } finally {
    for (const front of fronts) await front.stop();
    plain.stop();
  }
}

/**
 * `cargo fetch` then `cargo build` of a crate depending on 50 private crates, each with an empty CARGO_HOME
 * and target directory: against our sparse index with a read-only token, then against a static sparse
 * index holding the index files and .crate files our registry answered (config.json's `dl` pointing there).
 */
async function cargoBuilds(server: ServerProcess, writeAuth: string, reader: { token: string }, work: string): Promise<{ ours: ColdBuild; floor: ColdBuild }> {
  const crates = names('bench_dep_');
  const sources = mkdtempSync(join(work, 'crates-'));
  for (const crate of crates) await publishCrate(server, writeAuth, sources, crate);
  const root = mkdtempSync(join(work, 'cargo-static-'));
  const plain = await staticServer(root);
  const staticUrl = plain.url.replace(/\/$/, '');
  try {
    for (const crate of crates) {
      await mirror(server, reader.token, `${CARGO_INDEX}/${indexPath(crate)}`, root);
      await mirror(server, reader.token, `/cargo/api/v1/crates/${crate}/1.0.0/download`, root, `/crates/${crate}/1.0.0/download`);
    }
    // Ours names our download API and asks for the token; the static index names the static files and needs none.
    writeFileSync(join(root, CARGO_INDEX, 'config.json'), JSON.stringify({ dl: `${staticUrl}/crates` }));
    const build = async (name: string, registryUrl: string): Promise<ColdBuild> => {
      const app = writeTree(join(work, `cargo-${name}`), {
        'Cargo.toml': `[package]\nname = "benchapp"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${crates.map((c) => `${c} = { version = "1.0.0", registry = "fly" }\n`).join('')}`,
        'src/main.rs': `fn main() {\n${crates.map((c) => `    println!("{}", ${c}::name());\n`).join('')}}\n`,
      });
      const home = cargoHome(work, registryUrl, `cargo-${name}-home`, reader.token);
      const fetch = await seconds(`cargo fetch (${name})`, () => runCargo(['fetch'], app, home));
      // --frozen: the build itself must not reach the registry again.
      const compile = await seconds(`cargo build (${name})`, () => runCargo(['build', '--frozen'], app, home));
      return { fetch, total: fetch + compile };
    };
    return { ours: await build('ours', server.url), floor: await build('static', staticUrl) };
  } finally {
    plain.stop();
  }
}

/** The rows for one client: its cold build against us and against the static floor, and the fetch part of each. */
function rows(client: string, dependency: string, builds: { ours: ColdBuild; floor: ColdBuild }, ours: string): BenchResult[] {
  const what = `${DEPENDENCIES} private ${dependency}`;
  return [
    { metric: `cold ${client}, ${what}: ${ours}, read-only token`, value: builds.ours.total, unit: 's' },
    { metric: `cold ${client}, ${what}: the same files served statically (floor)`, value: builds.floor.total, unit: 's' },
    { metric: `  of which fetching, ${ours}`, value: builds.ours.fetch, unit: 's' },
    { metric: `  of which fetching, static floor`, value: builds.floor.fetch, unit: 's' },
  ];
}

/** Issue 17's cold builds with 50 private dependencies, each beside the same files served statically. */
export async function privateDependencyBuilds(server: ServerProcess, writeAuth: string, reader: { username: string; token: string }, work: string): Promise<BenchResult[]> {
  const go = await goBuilds(server, writeAuth, reader, work);
  const cargo = await cargoBuilds(server, writeAuth, reader, work);
  return [...rows('go build', 'modules', go, 'our GOPROXY'), ...rows('cargo build', 'crates', cargo, 'our sparse index')];
}
