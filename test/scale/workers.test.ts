import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/api/answers.js';
import { login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { TEST_ENGINE } from '../helpers/database.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OCI_MANIFEST } from '../oci/helpers/oci-layout.js';
import { pushImage } from '../oci/helpers/push.js';
import { creds, skopeo } from '../oci/helpers/registry.js';
import { makeBenchPackages, publishBody } from '../support/npm-fixtures.js';

const WORKERS = 2;
/** Long enough that only the broadcast between workers, never the TTL, can explain a refusal. */
const CACHE_TTL_MS = 60_000;
const FAILURE_LIMIT = 4;
/**
 * Requests go on fresh connections, which the primary hands to its free workers in turn; on a busy machine a
 * worker may be skipped now and then, so each phase sends until every worker has answered, at most this many.
 */
const MAX_SPREAD = 40;

interface Answer {
  status: number;
  body: string;
}

/** One request on a connection of its own (no keep-alive), so consecutive requests reach every worker. */
function fresh(server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${server.url}${path}`, { method, agent: false, headers: { connection: 'close', ...length, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One JSON write on a connection of its own. */
function freshWrite(server: TestServer, method: 'PUT' | 'POST', path: string, body: string, authorization: string): Promise<Answer> {
  return fresh(server, path, { authorization, 'content-type': 'application/json' }, method, body);
}

/**
 * The worker process ids that logged a request whose URL contains `marker` (the access log names the pid).
 * Each worker writes its access log in its own batches, so the log barrier (answered by any one worker) does
 * not order the others' lines: wait until at least one request with the marker, which was answered, shows.
 */
async function workersThatServed(server: TestServer, marker: string): Promise<Set<number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = (await server.settledOutput()).split('\n').filter((l) => l.includes(marker) && l.includes('"msg":"request"'));
    if (lines.length > 0 || Date.now() > deadline) return new Set(lines.map((l) => (JSON.parse(l) as { pid: number }).pid));
    await sleep(20);
  }
}

function workerPids(primaryPid: number): number[] {
  try {
    return readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Sends `send(i)` for i = 0, 1, … on fresh connections until every worker has answered one (their access-log
 * lines carry `marker` and the worker's pid); `check` judges each answer. Returns how many were sent.
 */
async function untilEveryWorker(server: TestServer, marker: string, send: (i: number) => Promise<Answer>, check: (answer: Answer) => void): Promise<number> {
  for (let i = 0; i < MAX_SPREAD; i++) {
    check(await send(i));
    if (i + 1 >= WORKERS && (await workersThatServed(server, marker)).size === WORKERS) return i + 1;
  }
  throw new Error(`${MAX_SPREAD} requests on fresh connections did not reach all ${WORKERS} workers`);
}

/** What `read` gives once `done` holds for it (pulls and token use are written in batches), or after 10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let waited = 0; !done(value) && waited < 10_000; waited += 100) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/** An environment's deployments once it has `count` of them, or after 10 s. */
function deploymentsOf(admin: ApiClient, environment: string, count: number): Promise<Deployment[]> {
  const read = async () => (await admin.get<{ deployments: Deployment[] }>(`/api/v1/environments/${environment}/deployments`)).body.deployments;
  return eventually(read, (deployments) => deployments.length >= count);
}

const errorCode = (answer: Answer) => (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;

describe(`a server of ${WORKERS} worker processes (FLY_WORKERS) on ${TEST_ENGINE}`, () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer({
      env: { FLY_WORKERS: String(WORKERS), FLY_TOKEN_CACHE_TTL_MS: String(CACHE_TTL_MS), FLY_AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT), FLY_TRUST_PROXY: 'true' },
    });
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  it('a token revoked through one worker is refused by every worker on its next request', async () => {
    const token = await admin.createToken({ name: 'revoked across workers', permission: 'read-only' });
    const marker = `probe-${randomBytes(4).toString('hex')}`;
    // Every worker verifies it and caches the record (for a minute).
    const address = { 'x-forwarded-for': '198.51.100.1' };
    await untilEveryWorker(
      server,
      `${marker}-before`,
      () => fresh(server, `/api/v1/whoami?${marker}-before`, { authorization: `Bearer ${token.token}`, ...address }),
      (answer) => expect(answer.status).toBe(200),
    );

    expect((await admin.post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
    // Each refusal counts towards its address's failure limit: one address per request keeps them apart.
    await untilEveryWorker(
      server,
      `${marker}-after`,
      (i) => fresh(server, `/api/v1/whoami?${marker}-after`, { authorization: `Bearer ${token.token}`, 'x-forwarded-for': `198.51.100.${10 + i}` }),
      (answer) => {
        expect(answer.status).toBe(401);
        expect(errorCode(answer)).toBe('token_revoked');
      },
    );
  });

  it('a token rotated through one worker with no overlap: every worker refuses the old secret and takes the new one', async () => {
    const token = await admin.createToken({ name: 'rotated across workers', permission: 'read-only' });
    const marker = `rotate-${randomBytes(4).toString('hex')}`;
    await untilEveryWorker(
      server,
      `${marker}-before`,
      () => fresh(server, `/api/v1/whoami?${marker}-before`, { authorization: `Bearer ${token.token}`, 'x-forwarded-for': '198.51.100.2' }),
      (answer) => expect(answer.status).toBe(200),
    );
    const rotated = await admin.post<{ token: string }>(`/api/v1/tokens/${token.id}/rotate`, { overlapSeconds: 0 });
    expect(rotated.status).toBe(200);
    await untilEveryWorker(
      server,
      `${marker}-after`,
      (i) => fresh(server, `/api/v1/whoami?${marker}-after`, { authorization: `Bearer ${token.token}`, 'x-forwarded-for': `198.51.100.${100 + i}` }),
      (answer) => {
        expect(answer.status).toBe(401);
        expect(errorCode(answer)).toBe('token_revoked');
      },
    );
    await untilEveryWorker(
      server,
      `${marker}-new`,
      () => fresh(server, `/api/v1/whoami?${marker}-new`, { authorization: `Bearer ${rotated.body.token}`, 'x-forwarded-for': '198.51.100.3' }),
      (answer) => expect(answer.status).toBe(200),
    );
  });

  it('the failure limit counts the failures every worker saw', async () => {
    const address = { 'x-forwarded-for': '198.51.100.2' };
    const marker = `limit-${randomBytes(4).toString('hex')}`;
    const wrong = { authorization: `Bearer flyr_${'x'.repeat(40)}`, ...address };
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await fresh(server, `/api/v1/whoami?${marker}-fail`, wrong)).status).toBe(401);
    // Every worker now refuses the address, even with a valid credential.
    const valid = await admin.createToken({ name: 'from a limited address', permission: 'read-only' });
    await untilEveryWorker(
      server,
      `${marker}-limited`,
      () => fresh(server, `/api/v1/whoami?${marker}-limited`, { authorization: `Bearer ${valid.token}`, ...address }),
      (answer) => expect(answer.status).toBe(429),
    );
  });

  it('pulls and token uses served by different workers all reach the timeline and the usage count', async () => {
    const writer = await admin.createToken({ name: 'ci', permission: 'read-write' });
    const environment = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'across-workers', token: {} });
    expect(environment.status).toBe(201);
    const deployer = environment.body.token;
    const marker = `pull-${randomBytes(4).toString('hex')}`;
    const auth = { authorization: `Basic ${Buffer.from(`${deployer.username}:${deployer.token}`).toString('base64')}`, accept: OCI_MANIFEST };
    // One image per pull (a repeated pull of one image by one client is one deployment, by design).
    const images: { repo: string; digest: string }[] = [];
    await untilEveryWorker(
      server,
      marker,
      async (i) => {
        const repo = `team/app-${i}`;
        images.push({ repo, digest: (await pushImage(server, writer, repo, 'v1')).digest });
        return fresh(server, `/v2/${repo}/manifests/v1?${marker}`, auth);
      },
      (answer) => expect(answer.status).toBe(200),
    );

    expect(new Set((await deploymentsOf(admin, 'across-workers', images.length)).map((d) => d.digest))).toEqual(new Set(images.map((i) => i.digest)));
    const useCount = async () => (await admin.get<{ useCount: number }>(`/api/v1/tokens/${deployer.id}`)).body.useCount;
    expect(await eventually(useCount, (count) => count >= images.length)).toBe(images.length);
  });

  it('concurrent writes served by different workers all succeed: none fails while another worker holds the write lock', async () => {
    const writer = await admin.createToken({ name: 'concurrent publisher', permission: 'read-write' });
    const marker = `write-${randomBytes(4).toString('hex')}`;
    // Twenty publishes and twenty token creations at once, each on a connection of its own (the publishes carry
    // the marker that shows which workers served them).
    const packages = await makeBenchPackages(20, `${marker}-pkg`);
    const publishes = packages.map((pkg) =>
      freshWrite(server, 'PUT', `/npm/${pkg.name}?${marker}`, JSON.stringify(publishBody(pkg, `${server.url}/npm/`)), `Bearer ${writer.token}`),
    );
    const creations = Array.from({ length: 20 }, (_, i) =>
      freshWrite(server, 'POST', '/api/v1/tokens', JSON.stringify({ name: `${marker}-${i}`, permission: 'read-only', expiresAt: null }), `Bearer ${admin.bearer}`),
    );
    const answers = await Promise.all([...publishes, ...creations]);
    expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
    expect((await workersThatServed(server, marker)).size).toBe(WORKERS);
    for (const pkg of packages) expect((await fresh(server, `/npm/${pkg.name}`, { authorization: `Bearer ${writer.token}` })).status).toBe(200);
  });

  it("a Maven deploy or delete through one worker is in every worker's maven-metadata.xml and files at once", async () => {
    const writer = await admin.createToken({ name: 'maven ci', permission: 'read-write' });
    const reader = await admin.createToken({ name: 'maven resolve', permission: 'read-only' });
    const basic = (t: CreatedToken) => ({ authorization: `Basic ${Buffer.from(`${t.username}:${t.token}`).toString('base64')}` });
    const artifact = '/maven/com/acme/workers/lib';
    const pom = (version: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme.workers</groupId><artifactId>lib</artifactId><version>${version}</version></project>`;
    const write = async (method: 'PUT' | 'DELETE', path: string, body?: string) => (await fetch(`${server.url}${artifact}/${path}`, { method, headers: basic(writer), body })).status;
    const metadata = (marker: string) => () => fresh(server, `${artifact}/maven-metadata.xml?${marker}`, basic(reader));
    const versions = (answer: Answer) => [...answer.body.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1]);
    const marker = `maven-${randomBytes(4).toString('hex')}`;

    expect(await write('PUT', '1.0/lib-1.0.pom', pom('1.0'))).toBe(201);
    // Every worker builds its view of the artifact now; it would serve that view for a second unannounced.
    await untilEveryWorker(server, `${marker}-one`, metadata(`${marker}-one`), (answer) => expect(versions(answer)).toEqual(['1.0']));

    expect(await write('PUT', '2.0/lib-2.0.pom', pom('2.0'))).toBe(201);
    await untilEveryWorker(server, `${marker}-two`, metadata(`${marker}-two`), (answer) => {
      expect(answer.status).toBe(200);
      expect(versions(answer)).toEqual(['1.0', '2.0']);
    });

    expect(await write('DELETE', '1.0/')).toBe(204);
    await untilEveryWorker(server, `${marker}-deleted`, metadata(`${marker}-deleted`), (answer) => expect(versions(answer)).toEqual(['2.0']));
    await untilEveryWorker(
      server,
      `${marker}-gone`,
      () => fresh(server, `${artifact}/1.0/lib-1.0.pom?${marker}-gone`, basic(reader)),
      (answer) => expect(answer.status).toBe(404),
    );
  });

  it('a killed worker is replaced while the others keep their connections', async () => {
    const primary = Number(/"pid":(\d+),"hostname":"[^"]*","workers":/.exec(server.output())?.[1]);
    const before = workerPids(primary);
    expect(before).toHaveLength(WORKERS);
    // A keep-alive connection to one worker, open across the other's death.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const viaAgent = (path: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    const marker = `kill-${randomBytes(4).toString('hex')}`;
    expect((await viaAgent(`/healthz?${marker}`)).status).toBe(200);
    const [kept] = await workersThatServed(server, marker);
    const victim = before.find((pid) => pid !== kept);
    expect(victim).toBeDefined();
    process.kill(victim as number, 'SIGKILL');

    const after = await viaAgent('/healthz');
    expect(after).toEqual({ status: 200, reused: true });
    let now: number[] = [];
    for (let waited = 0; waited < 15_000; waited += 100) {
      now = workerPids(primary);
      if (now.length === WORKERS && !now.includes(victim as number)) break;
      await sleep(100);
    }
    expect(now).toHaveLength(WORKERS);
    expect(now).not.toContain(victim);
    agent.destroy();
    // The replacement serves: fresh connections reach every worker again.
    const again = `again-${randomBytes(4).toString('hex')}`;
    for (let waited = 0; ; waited += 100) {
      const status = (await fresh(server, `/readyz?${again}`)).status;
      if (status === 200 && (await workersThatServed(server, again)).size === WORKERS) break;
      if (waited > 15_000) throw new Error(`the replacement never served:\n${server.output().slice(-3000)}`);
      await sleep(100);
    }
    expect(server.output()).toContain('a worker exited; starting another');
  });
});

describe(`the real skopeo client against ${WORKERS} workers on ${TEST_ENGINE}`, () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    // Every skopeo refusal counts against 127.0.0.1: a limit well above what this test sends.
    server = await startServer({ env: { FLY_WORKERS: String(WORKERS), FLY_TOKEN_CACHE_TTL_MS: String(CACHE_TTL_MS), FLY_AUTH_FAILURE_LIMIT: '1000' } });
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  it('a token revoked through one worker: every worker refuses skopeo with it at once', async () => {
    const writer = await admin.createToken({ name: 'ci', permission: 'read-write' });
    const reader = await admin.createToken({ name: 'deploy', permission: 'read-only' });
    const marker = `skopeo-${randomBytes(4).toString('hex')}`;
    // Two repositories, so each phase's requests (the token request names its repository) are told apart in the log.
    for (const phase of ['before', 'after']) await pushImage(server, writer, `${marker}-${phase}/app`, 'v1');
    // Each skopeo run is a process of its own on new connections, which the primary hands to its workers in turn.
    const inspect = async (phase: string): Promise<Answer> => {
      const run = await skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(reader), `docker://${server.host}/${marker}-${phase}/app:v1`]);
      return { status: run.code, body: run.stderr };
    };
    // Every worker verifies the token and caches its record (for a minute).
    await untilEveryWorker(server, `${marker}-before`, () => inspect('before'), (run) => expect(run.status, run.body).toBe(0));

    expect((await admin.post(`/api/v1/tokens/${reader.id}/revoke`)).status).toBe(200);
    await untilEveryWorker(
      server,
      `${marker}-after`,
      () => inspect('after'),
      (run) => {
        expect(run.status).not.toBe(0);
        expect(run.body).toMatch(/revoked/);
      },
    );
  });

  it("pulls skopeo made with an environment's token, served by different workers, all reach its timeline", async () => {
    const writer = await admin.createToken({ name: 'ci-images', permission: 'read-write' });
    const environment = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'skopeo-workers', token: {} });
    expect(environment.status).toBe(201);
    const deployer = environment.body.token;
    const marker = `skopeo-pull-${randomBytes(4).toString('hex')}`;
    // One image per pull (a repeated pull of one image by one client is one deployment, by design).
    const images: { repo: string; digest: string }[] = [];
    await untilEveryWorker(
      server,
      // In the manifest GET's path only: skopeo's token request names the repository percent-encoded.
      `${marker}/app-`,
      async (i) => {
        const repo = `${marker}/app-${i}`;
        images.push({ repo, digest: (await pushImage(server, writer, repo, 'v1')).digest });
        const run = await skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(deployer), `docker://${server.host}/${repo}:v1`]);
        return { status: run.code, body: run.stderr };
      },
      (run) => expect(run.status, run.body).toBe(0),
    );
    expect(new Set((await deploymentsOf(admin, 'skopeo-workers', images.length)).map((d) => d.digest))).toEqual(new Set(images.map((i) => i.digest)));
  });

  it('an idle server does not keep waking up: each process, primary and workers, wakes at most a few times a second', async () => {
    // After the requests above: what they left to write (token use, pulls) is written within a second or two.
    await sleep(2500);
    const processes = [server.pid, ...workerPids(server.pid)];
    expect(processes).toHaveLength(1 + WORKERS);
    const before = processes.map(wakeups);
    await sleep(IDLE_WINDOW_MS);
    const perSecond = processes.map((pid, i) => ((wakeups(pid) - (before[i] ?? 0)) * 1000) / IDLE_WINDOW_MS);
    // A timer every 10 ms (prom-client's default event-loop sampling) was 100 a second per process.
    for (const rate of perSecond) expect(rate, `wakeups per second: ${perSecond.join(', ')}`).toBeLessThan(MAX_IDLE_WAKEUPS_PER_SECOND);
  });
});

const IDLE_WINDOW_MS = 3000;
/** The server's own timers when idle: the event-loop sampling (10 a second) and the notification jobs' checks. */
const MAX_IDLE_WAKEUPS_PER_SECOND = 30;

/** How often a process's main thread has gone to sleep and been woken up (its event loop's waits). */
function wakeups(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]);
}

