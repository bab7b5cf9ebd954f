import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmTarball, publishBody } from '../support/npm-fixtures.js';
import { login, type CreatedToken } from '../helpers/api.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST } from '../oci/helpers/oci-layout.js';
import { basic, reg } from '../oci/helpers/registry.js';
import { uploadDistribution } from '../support/pypi-upload.js';
import { buildWheel } from '../support/python-dists.js';

/** Trials per engine, and a wall-clock bound on them: whichever ends first (the full review ran about 80). */
const TRIALS = Number(process.env.FLY_CRASH_TRIALS ?? 8);
const TRIALS_BUDGET_MS = 45_000;

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** What a writer was told had landed: its 2xx came back before the kill. */
type Acknowledged =
  | { kind: 'oci'; repo: string; tag: string; manifest: Buffer; blobs: Map<string, Buffer> }
  | { kind: 'npm'; name: string; version: string; tarball: Buffer }
  | { kind: 'pypi'; project: string; filename: string; sha256: string };

/**
 * kill -9 while OCI pushes (chunked and monolithic blobs, then the manifest), npm publishes and PyPI uploads
 * are in flight, restart over the same database and data directory, and check: every acknowledged write is
 * there and byte-identical; nothing half-written is visible (no tag whose manifest or blobs are missing, no
 * npm version or PyPI file whose bytes are missing or differ); an interrupted write, retried, succeeds.
 */
describe('crash safety: kill -9 during writes', () => {
  let database: TestDatabase;
  let server: TestServer;
  let writer: CreatedToken;
  const work = mkdtempSync(join(tmpdir(), 'crash-safety-'));
  let serial = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({ database });
    writer = await (await login(server)).createToken({ name: 'crash writer', permission: 'read-write' });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Fails (throws) on anything but the expected status: an interrupted write never counts as acknowledged. */
  async function ok(res: Promise<Response>, status: number): Promise<Response> {
    const answer = await res;
    if (answer.status !== status) throw new Error(`HTTP ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
    return answer;
  }

  async function ociPush(repo: string, tag: string): Promise<Acknowledged> {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, n: randomBytes(8).toString('hex') }));
    const layer = randomBytes(512 * 1024);
    const blobs = new Map([
      [sha256(config), config],
      [sha256(layer), layer],
    ]);
    await ok(reg(server, `/v2/${repo}/blobs/uploads/?digest=${sha256(config)}`, { method: 'POST', auth: basic(writer), body: config }), 201);
    // The layer in two chunks: POST, PATCH, PUT with the last chunk.
    const started = await ok(reg(server, `/v2/${repo}/blobs/uploads/`, { method: 'POST', auth: basic(writer) }), 202);
    const location = started.headers.get('location') ?? '';
    const half = layer.length / 2;
    const patched = await ok(
      reg(server, location, { method: 'PATCH', auth: basic(writer), headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` }, body: layer.subarray(0, half) }),
      202,
    );
    const next = patched.headers.get('location') ?? location;
    const sep = next.includes('?') ? '&' : '?';
    await ok(
      reg(server, `${next}${sep}digest=${sha256(layer)}`, {
        method: 'PUT',
        auth: basic(writer),
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${half}-${layer.length - 1}` },
        body: layer.subarray(half),
      }),
      201,
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
        layers: [{ mediaType: OCI_LAYER_GZIP, digest: sha256(layer), size: layer.length }],
      }),
    );
    await ok(reg(server, `/v2/${repo}/manifests/${tag}`, { method: 'PUT', auth: basic(writer), headers: { 'content-type': OCI_MANIFEST }, body: manifest }), 201);
    return { kind: 'oci', repo, tag, manifest, blobs };
  }

  async function npmPublish(name: string, version: string): Promise<Acknowledged> {
    const manifest = { name, version };
    const tarball = npmTarball(manifest, { 'data.bin': randomBytes(256 * 1024) });
    const body = publishBody({ name, version, manifest, tarball }, `${server.url}/npm/`);
    await ok(
      fetch(`${server.url}/npm/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      201,
    );
    return { kind: 'npm', name, version, tarball };
  }

  async function pypiUpload(project: string, version: string): Promise<Acknowledged> {
    const wheel = await buildWheel(work, { name: project, version });
    const res = await uploadDistribution(server.url, writer.username, writer.token, wheel);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const bytes = readFileSync(wheel);
    return { kind: 'pypi', project, filename: wheel.split('/').pop() ?? '', sha256: sha256(bytes).slice('sha256:'.length) };
  }

  const auth = () => ({ authorization: `Bearer ${writer.token}` });

  /** Everything the registry shows must be whole: every tag's manifest and blobs, every npm version's tarball, every PyPI file. */
  async function checkNothingHalfWritten(repos: string[], packages: string[], projects: string[]): Promise<number> {
    let checked = 0;
    for (const repo of repos) {
      const tags = await reg(server, `/v2/${repo}/tags/list`, { auth: basic(writer) });
      if (tags.status === 404) continue;
      for (const tag of ((await tags.json()) as { tags: string[] | null }).tags ?? []) {
        const res = await reg(server, `/v2/${repo}/manifests/${tag}`, { auth: basic(writer), headers: { accept: OCI_MANIFEST } });
        expect(res.status, `${repo}:${tag}`).toBe(200);
        const manifest = (await res.json()) as { config: { digest: string }; layers: { digest: string }[] };
        for (const digest of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
          const blob = await reg(server, `/v2/${repo}/blobs/${digest}`, { auth: basic(writer) });
          expect(blob.status, `${repo}:${tag} blob ${digest}`).toBe(200);
          expect(sha256(Buffer.from(await blob.arrayBuffer()))).toBe(digest);
        }
        checked++;
      }
    }
    for (const name of packages) {
      const res = await fetch(`${server.url}/npm/${name}`, { headers: auth() });
      if (res.status === 404) continue;
      const packument = (await res.json()) as { versions: Record<string, { dist: { tarball: string; shasum: string } }> };
      for (const [version, manifest] of Object.entries(packument.versions)) {
        const tarball = await fetch(manifest.dist.tarball, { headers: auth() });
        expect(tarball.status, `${name}@${version}`).toBe(200);
        expect(createHash('sha1').update(Buffer.from(await tarball.arrayBuffer())).digest('hex')).toBe(manifest.dist.shasum);
        checked++;
      }
    }
    for (const project of projects) {
      const page = `${server.url}/pypi/simple/${project}/`;
      const res = await fetch(page, { headers: { ...auth(), accept: 'application/vnd.pypi.simple.v1+json' } });
      if (res.status === 404) continue;
      for (const file of ((await res.json()) as { files: { filename: string; url: string; hashes: { sha256: string } }[] }).files) {
        const download = await fetch(new URL(file.url, page), { headers: auth() });
        expect(download.status, file.filename).toBe(200);
        expect(sha256(Buffer.from(await download.arrayBuffer())).slice('sha256:'.length)).toBe(file.hashes.sha256);
        checked++;
      }
    }
    return checked;
  }

  /** The acknowledged write is there, byte for byte. */
  async function checkAcknowledged(write: Acknowledged): Promise<void> {
    if (write.kind === 'oci') {
      const res = await reg(server, `/v2/${write.repo}/manifests/${write.tag}`, { auth: basic(writer), headers: { accept: OCI_MANIFEST } });
      expect(res.status, `${write.repo}:${write.tag}`).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(write.manifest)).toBe(true);
      for (const [digest, bytes] of write.blobs) {
        const blob = await reg(server, `/v2/${write.repo}/blobs/${digest}`, { auth: basic(writer) });
        expect(Buffer.from(await blob.arrayBuffer()).equals(bytes), `${write.repo} blob ${digest}`).toBe(true);
      }
    } else if (write.kind === 'npm') {
      const packument = (await (await fetch(`${server.url}/npm/${write.name}`, { headers: auth() })).json()) as { versions: Record<string, { dist: { tarball: string } }> };
      const manifest = packument.versions[write.version];
      expect(manifest, `${write.name}@${write.version}`).toBeDefined();
      const tarball = await fetch(manifest?.dist.tarball ?? '', { headers: auth() });
      expect(Buffer.from(await tarball.arrayBuffer()).equals(write.tarball)).toBe(true);
    } else {
      const page = `${server.url}/pypi/simple/${write.project}/`;
      const files = ((await (await fetch(page, { headers: { ...auth(), accept: 'application/vnd.pypi.simple.v1+json' } })).json()) as {
        files: { filename: string; hashes: { sha256: string } }[];
      }).files;
      expect(files.find((f) => f.filename === write.filename)?.hashes.sha256, write.filename).toBe(write.sha256);
    }
  }

  it(`acknowledged writes survive kill -9, nothing half-written is visible, interrupted writes can be retried (${TEST_ENGINE})`, { timeout: 180_000 }, async () => {
    const acknowledged: Acknowledged[] = [];
    const repos = new Set<string>();
    const packages = new Set<string>();
    const projects = new Set<string>();
    let interrupted = 0;
    let ackedBeforeKill = 0;
    let landedUnanswered = 0;
    let trials = 0;
    const started = Date.now();
    for (; trials < TRIALS && Date.now() - started < TRIALS_BUDGET_MS; trials++) {
      // Several writers of each kind at once, each retrying nothing: whatever was acknowledged before the kill counts.
      const writes: { retry: () => Promise<Acknowledged>; run: Promise<Acknowledged> }[] = [];
      for (let i = 0; i < 2; i++) {
        const n = serial++;
        const repo = `crash/app${n % 3}`;
        const pkg = `crash-pkg-${n % 3}`;
        const project = `crash-project-${n % 3}`;
        repos.add(repo);
        packages.add(pkg);
        projects.add(project);
        const oci = () => ociPush(repo, `t${n}`);
        const npm = () => npmPublish(pkg, `1.0.${n}`);
        const pypi = () => pypiUpload(project, `1.${n}`);
        for (const write of [oci, npm, pypi]) writes.push({ retry: write, run: write() });
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 400)));
      process.kill(server.pid, 'SIGKILL');
      const outcomes = await Promise.allSettled(writes.map((w) => w.run));
      await server.kill();
      server = await startServer({ database });

      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') {
          acknowledged.push(outcome.value);
          ackedBeforeKill++;
          continue;
        }
        // Interrupted: run again now, as a client would. A version that had landed before the kill (its answer
        // lost) is refused as a duplicate, and must then be whole.
        interrupted++;
        const retry = writes[i]?.retry;
        if (!retry) continue;
        try {
          acknowledged.push(await retry());
        } catch (error) {
          expect(String(error)).toMatch(/HTTP (409|400)/);
          landedUnanswered++;
        }
      }
      for (const write of acknowledged) await checkAcknowledged(write);
      await checkNothingHalfWritten([...repos], [...packages], [...projects]);
    }
    const visible = await checkNothingHalfWritten([...repos], [...packages], [...projects]);
    console.log(
      `crash safety (${TEST_ENGINE}): ${trials} kills; ${ackedBeforeKill} writes acknowledged before a kill and ${interrupted} interrupted; ` +
        `of those retried, ${interrupted - landedUnanswered} succeeded and ${landedUnanswered} had landed unanswered; ` +
        `${acknowledged.length} acknowledged writes intact after every restart; ${visible} visible artifacts whole`,
    );
    expect(trials).toBeGreaterThanOrEqual(3);
    expect(acknowledged.length).toBeGreaterThan(0);
  });
});
