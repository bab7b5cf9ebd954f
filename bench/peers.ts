import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { freePort } from '../src/server/free-port.js';
import { stopProcess } from '../test/support/stop-process.js';

/** A process the throughput section measures beside Fly: where it answers and how to stop it. */
export interface Peer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Where scripts/install-bench-tools.sh puts pypiserver (a venv outside the repository). */
const PYPISERVER = join(process.env.FLY_BENCH_PYPISERVER_DIR ?? '/var/cache/fly-registry-bench/pypiserver-2.4.1', 'bin', 'pypi-server');
const DISTRIBUTION = '/usr/bin/docker-registry';

/**
 * The raw Node ceiling: node:http answering every request with the same 1 KB JSON body, nothing else; with
 * `workers` > 1, that many such processes behind node:cluster on one port, as Fly's workers share theirs.
 */
export async function startNodeCeiling(workers = 1): Promise<Peer> {
  const port = await freePort();
  return startNodeScript(
    port,
    `
const cluster = require('node:cluster');
if (${workers} > 1 && cluster.isPrimary) {
  for (let i = 0; i < ${workers}; i++) cluster.fork();
} else {
  const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(1009) }));
  require('node:http').createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  }).listen(${port}, '127.0.0.1');
}`,
    '/',
  );
}

/** Runs `script` (CommonJS) with this node from a file of its own, so node:cluster's workers can run it again. */
async function startNodeScript(port: number, script: string, probe: string, okStatuses?: number[]): Promise<Peer> {
  const root = mkdtempSync(join(tmpdir(), 'flybench-node-'));
  const file = join(root, 'server.cjs');
  writeFileSync(file, script);
  return started(spawn(process.execPath, [file], { stdio: 'ignore' }), `http://127.0.0.1:${port}`, probe, root, okStatuses);
}

/** An answer a server gave, as it went on the wire: status, headers (Node's own Date/Connection/Keep-Alive aside) and body bytes. */
export interface RecordedAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Headers Node's http server writes itself, so a replay does not send them twice. */
const NODE_OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Records the answer `url` gives to a GET with `headers` (one request; the body read whole). */
export async function recordAnswer(url: string, headers: Record<string, string>): Promise<RecordedAnswer> {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.headers.has('content-encoding')) throw new Error(`${url}: a compressed answer cannot be replayed byte for byte`);
  return { status: res.status, headers: [...res.headers].filter(([name]) => !NODE_OWN_HEADERS.has(name)), body };
}

/**
 * The ceiling for answers of a given shape: node:http replaying recorded answers byte for byte (one per
 * path), reading nothing of the request. Beside the 1 KB ceiling it says how much of a server's time per
 * request the answer itself costs (its headers and size), and beside the server how much is the server's.
 */
export async function startReplay(answers: Record<string, RecordedAnswer>): Promise<Peer> {
  const port = await freePort();
  const recorded = JSON.stringify(Object.entries(answers).map(([path, a]) => [path, a.status, a.headers.flat(), a.body.toString('base64')]));
  const [probe] = Object.keys(answers);
  return startNodeScript(
    port,
    `
const answers = new Map(${recorded}.map(([path, status, headers, body]) => [path, { status, headers, body: Buffer.from(body, 'base64') }]));
require('node:http').createServer((req, res) => {
  const a = answers.get(req.url);
  if (!a) { res.writeHead(404, { 'content-length': 0 }); return res.end(); }
  res.writeHead(a.status, a.headers);
  res.end(a.body);
}).listen(${port}, '127.0.0.1');`,
    probe ?? '/',
    [200, 404],
  );
}

/**
 * distribution (Debian's docker-registry) with htpasswd auth and filesystem storage, as a small team would
 * run it. Undefined when it is not installed. Basic credentials: bench / bench-password.
 */
export async function startDistribution(): Promise<(Peer & { auth: string }) | undefined> {
  if (!existsSync(DISTRIBUTION)) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'flybench-distribution-'));
  const htpasswd = spawnSync('htpasswd', ['-Bbn', 'bench', 'bench-password'], { encoding: 'utf8' });
  if (htpasswd.status !== 0) throw new Error(`htpasswd failed: ${htpasswd.stderr}`);
  writeFileSync(join(root, 'htpasswd'), htpasswd.stdout);
  const port = await freePort();
  writeFileSync(
    join(root, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(root, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      `auth: { htpasswd: { realm: bench, path: ${join(root, 'htpasswd')} } }`,
      '',
    ].join('\n'),
  );
  const child = spawn(DISTRIBUTION, ['serve', join(root, 'config.yml')], { stdio: 'ignore' });
  const peer = await started(child, `http://127.0.0.1:${port}`, '/v2/', root, [200, 401]);
  return { ...peer, auth: `Basic ${Buffer.from('bench:bench-password').toString('base64')}` };
}

/** pypiserver serving `files` from a fresh folder with no authentication (its default). Undefined when not installed. */
export async function startPypiserver(files: string[]): Promise<Peer | undefined> {
  if (!existsSync(PYPISERVER)) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'flybench-pypiserver-'));
  mkdirSync(join(root, 'packages'));
  for (const file of files) copyFileSync(file, join(root, 'packages', basename(file)));
  const port = await freePort();
  const child = spawn(PYPISERVER, ['run', '-i', '127.0.0.1', '-p', String(port), '-a', '.', '-P', '.', '--log-stream', 'none', join(root, 'packages')], { stdio: 'ignore' });
  return started(child, `http://127.0.0.1:${port}`, '/simple/', root);
}

async function started(child: ChildProcess, url: string, probe: string, root?: string, okStatuses: number[] = [200]): Promise<Peer> {
  const stop = async () => {
    await stopProcess(child, 5000);
    if (root) rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if (okStatuses.includes((await fetch(`${url}${probe}`, { signal: AbortSignal.timeout(1000) })).status)) return { url, pid: child.pid ?? -1, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${url} did not start (exit ${child.exitCode})`);
}

/** A one-layer image pushed as every registry accepts it (POST, then PUT ?digest= with the bytes). */
export async function pushTinyImage(url: string, auth: string, repo: string, tag: string): Promise<void> {
  const blob = async (bytes: Buffer) => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    // POST opens an upload session, PUT ?digest= closes it with the bytes (a monolithic upload in two steps).
    const start = await fetch(`${url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { authorization: auth } });
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) throw new Error(`blob upload to ${url}: ${start.status}`);
    const target = new URL(location, url);
    target.searchParams.set('digest', digest);
    const put = await fetch(target, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    if (put.status !== 201) throw new Error(`blob upload to ${url}: ${put.status} ${await put.text()}`);
    return { digest, size: bytes.length };
  };
  const layer = await blob(Buffer.alloc(4096, 7));
  const config = await blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  });
  const res = await fetch(`${url}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { authorization: auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  if (res.status !== 201) throw new Error(`manifest push to ${url}: ${res.status} ${await res.text()}`);
}
