import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { login, basicAuth, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { PROTOCOL_SEGMENTS, protocolBodies, seedUploads } from './fuzz-protocol-inputs.js';

/**
 * Seeded fuzzing of every protocol and the management API: thousands of malformed requests (odd names,
 * control and unicode characters, encodings, paging numbers, truncated and oversized bodies, wrong content
 * types, broken multipart, archives and JSON, garbage credentials). Pass: no 5xx, the process stays up,
 * no stack trace or unhandled error in the log, memory bounded.
 *
 * Every route of every protocol comes from the protocol registry (each definition's route table, under each
 * of its prefixes), so a protocol added later is fuzzed without editing this file; its parameters and bodies
 * mix the generic odd values below with the protocol's own near-real ones (fuzz-protocol-inputs.ts).
 *
 * CI uses the fixed seed; set FLY_FUZZ_SEED=random (or a number) to explore, FLY_FUZZ_CASES for more cases.
 * The seed is printed so any failure can be replayed.
 */
const SEED = process.env.FLY_FUZZ_SEED === 'random' ? randomInt(2 ** 31) : Number(process.env.FLY_FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.FLY_FUZZ_CASES ?? 4000);
const PARALLEL = 8;

/** mulberry32: a small, fast, reproducible generator. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  'a', 'library/app', 'x'.repeat(300), 'Ab-C', '..', '../../etc/passwd', '%2e%2e%2f', '%00', '%ff', '%', '%zz', '%c0%af', '\u202e', '😀', 'café',
  '%0d%0aX-Injected:%201', ' ', '%20', '\t', '*', '-1', '0', '99999999999999999999', '1e308', 'NaN', 'null', '{', '[]', 'sha256:', `sha256:${'0'.repeat(64)}`,
  `sha512:${'f'.repeat(128)}`, 'sha256:zz', 'latest', 'v1.0', '@scope', '@scope%2fname', 'flyr_abc', 'org.couchdb.user:admin', '__token__', 'a/b/c/d/e/f',
];
/**
 * What the route tables do not express: query strings, the management API, MCP, share links and health.
 * `{s}` is a generic odd segment.
 */
const HAND_PATHS = [
  '/v2/{s}/blobs/uploads/?digest={s}&mount={s}&from={s}', '/v2/{s}/tags/list?n={s}&last={s}', '/v2/_catalog?n={s}&last={s}', '/v2/{s}/referrers/{s}?artifactType={s}',
  '/v2/token?scope={s}&service={s}&account={s}', '/npm/-/v1/search?text={s}&size={s}&from={s}', '/pypi/simple/{s}/?format={s}',
  '/api/v1/tokens/{s}', '/api/v1/tokens?limit={s}&offset={s}&status={s}', '/api/v1/tokens', '/api/v1/tokens/{s}/revoke', '/api/v1/users', '/api/v1/users/{s}',
  '/api/v1/audit?limit={s}&before={s}', '/api/v1/releases?limit={s}&name={s}', '/api/v1/releases', '/api/v1/releases/{s}', '/api/v1/environments',
  '/api/v1/environments/{s}', '/api/v1/environments/{s}/deployments?limit={s}&repository={s}', '/api/v1/environments/compare?from={s}&to={s}',
  '/api/v1/environments/{s}/tokens', '/api/v1/auth/login', '/api/v1/invitations/{s}', '/api/v1/invitations/accept', '/api/v1/npm-logins/{s}',
  '/api/v1/pypi/projects/{s}/versions/{s}/yank', '/api/v1/whoami', '/api/v1/endpoints', '/mcp', '/share/{s}', '/share/{s}/{s}', '/{s}', '/healthz?{s}',
];

/** A path to fuzz: `{s}` (a generic odd segment) or `{p}` (also the protocol's own near-real values); its route's methods. */
interface PathTemplate {
  path: string;
  protocol?: string;
  methods: string[];
}

/** A route parameter in any router's syntax: the kit's `<name>`, Fastify's `:param` and `*`, npm's `{pkg}`. */
const ROUTE_PARAM = /<[a-z]+>|:[A-Za-z]+|\*|\{[a-z]+\}/g;

/** Every route of every registered protocol under each prefix it answers at, its parameters left to fill. */
async function routeTemplates(): Promise<PathTemplate[]> {
  const byPath = new Map<string, PathTemplate>();
  for (const protocol of PROTOCOLS) {
    for (const route of await protocol.routes()) {
      for (const prefix of route.prefixes ?? protocol.prefixes) {
        // npm's `{pkg}` is a package name, which may be scoped: `@scope/name` holds a real slash.
        const full = `${prefix}${route.path}`;
        for (const path of new Set([full, full.replace('{pkg}', '@{p}/{p}')].map((p) => p.replace(ROUTE_PARAM, '{p}')))) {
          const template = byPath.get(path) ?? { path, protocol: protocol.id, methods: [] };
          template.methods.push(route.method);
          byPath.set(path, template);
        }
      }
    }
  }
  return [...byPath.values()];
}

const METHODS = ['GET', 'GET', 'HEAD', 'PUT', 'POST', 'POST', 'PATCH', 'DELETE'];
const CONTENT_TYPES = [
  undefined, 'application/json', 'text/plain', 'multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/octet-stream',
  'application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16',
  'application/zip', 'application/gzip', 'application/xml', 'application/x-yaml',
];

interface Case {
  protocol: string;
  /** Which of the credentials it sends (an index: a failure message never shows a secret). */
  credential: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Inputs {
  templates: PathTemplate[];
  credentials: Record<string, string>[];
  bodies: Record<string, Buffer[]>;
}

function makeCases(random: () => number, { templates, credentials, bodies }: Inputs): Case[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const segment = () => {
    const s = pick(SEGMENTS);
    return random() < 0.3 ? encodeURIComponent(s) : s;
  };
  // A route parameter: half the time the protocol's own near-real value, rarely encoded (it may hold `/`).
  const parameter = (protocol: string | undefined) => {
    const own = protocol === undefined ? undefined : PROTOCOL_SEGMENTS[protocol];
    if (!own || random() < 0.5) return segment();
    const s = pick(own);
    return random() < 0.1 ? encodeURIComponent(s) : s;
  };
  const jsonish = (): string =>
    pick([
      () => JSON.stringify({ username: segment(), password: segment() }),
      () => JSON.stringify({ name: segment(), permission: pick(['read-only', 'read-write', segment()]), expiresAt: pick([null, segment(), -1, 1e308]) }),
      () => JSON.stringify({ name: segment(), version: segment(), versions: { [segment()]: { name: segment(), dist: {} } }, _attachments: { [segment()]: { data: segment(), length: -1 } } }),
      () => JSON.stringify({ schemaVersion: 2, mediaType: segment(), config: { digest: segment(), size: -5 }, layers: [{ digest: segment(), size: 1e20 }], manifests: segment() }),
      () => `${'['.repeat(3000)}${']'.repeat(3000)}`,
      () => '{"a":' + '1'.repeat(400) + '}',
      () => JSON.stringify({ jsonrpc: '2.0', id: 1, method: segment(), params: { name: segment(), arguments: { x: segment() } } }),
      () => JSON.stringify(segment()),
      () => '{"truncated": "yes',
      () => '\u0000{}',
    ])();
  const body = (protocol: string | undefined): Buffer | undefined => {
    const own = protocol === undefined ? undefined : bodies[protocol];
    if (own && random() < 0.5) {
      const b = pick(own);
      // Sometimes cut short or with a byte flipped, past the framing the protocol checks first.
      if (random() < 0.2) return b.subarray(0, Math.floor(random() * b.length));
      if (random() < 0.2) {
        const flipped = Buffer.from(b);
        const at = Math.floor(random() * flipped.length);
        flipped[at] = (flipped[at] ?? 0) ^ 0xff;
        return flipped;
      }
      return b;
    }
    return pick([
      () => undefined,
      () => Buffer.from(jsonish()),
      () => Buffer.from(jsonish()).subarray(0, Math.floor(random() * 40)),
      () => bytes(Math.floor(random() * 2048)),
      () => Buffer.from('--xyz\r\nContent-Disposition: form-data; name="content"; filename="x-1.0.tar.gz"\r\n\r\n' + 'a'.repeat(100)),
      () => Buffer.from(`--xyz\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\n${segment()}\r\n--xyz--\r\n`),
      () => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), bytes(200)]),
      () => Buffer.concat([Buffer.from('PK\u0003\u0004'), bytes(300)]),
      () => Buffer.alloc(64 * 1024, 0x61),
    ])();
  };
  // Each protocol (and the hand-written paths) gets an even share, however many routes its table has.
  const byProtocol = new Map<string, PathTemplate[]>();
  for (const t of templates) byProtocol.set(t.protocol ?? '', [...(byProtocol.get(t.protocol ?? '') ?? []), t]);
  const groups = [...byProtocol.values()];
  const cases: Case[] = [];
  for (let i = 0; i < CASES; i++) {
    const template = pick(pick(groups));
    // Mostly a method the route answers, so the request gets past routing into its handler.
    const method = random() < 0.7 ? pick(template.methods) : pick(METHODS);
    const path = template.path.replace(/\{s\}/g, segment).replace(/\{p\}/g, () => parameter(template.protocol));
    // Mostly a working credential (the first few), so the cases get past the guard.
    const credential = random() < 0.5 ? 1 + Math.floor(random() * 5) : Math.floor(random() * credentials.length);
    const headers: Record<string, string> = { ...credentials[credential] };
    const contentType = pick(CONTENT_TYPES);
    if (contentType) headers['content-type'] = contentType;
    if (random() < 0.15) headers['content-range'] = pick(['0-10', '5-1', '-1-3', 'bytes=0-', '0-99999999999999999999', 'abc']);
    if (random() < 0.1) headers.range = pick(['bytes=0-1', 'bytes=-5', 'bytes=9-1', 'bytes=0-1,3-4', 'items=1-2']);
    if (random() < 0.1) headers.accept = pick(['application/vnd.pypi.simple.v1+json', 'text/html;q=0', '*/*;q=abc', 'application/vnd.npm.install-v1+json', 'application/json']);
    if (random() < 0.1) headers[`x-checksum-${pick(['sha1', 'sha256', 'md5', 'sha512'])}`] = pick(['da39a3ee5e6b4b0d3255bfef95601890afd80709', '0'.repeat(64), 'zz', '', 'x'.repeat(5000)]);
    if (random() < 0.05) headers['if-none-match'] = pick(['*', '"abc"', 'W/"x"', '"']);
    cases.push({ protocol: template.protocol ?? 'by hand', credential, method, path, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body(template.protocol) });
  }
  return cases;
}

/** A failed case, enough to replay it by hand: request line, content type, credential, the body's start. */
function describeFailure(c: Case, status: number | string): string {
  const body = c.body ? ` body ${c.body.length} bytes ${JSON.stringify(c.body.subarray(0, 120).toString('latin1'))}` : '';
  return `${c.method} ${c.path} [${c.headers['content-type'] ?? ''}] credential #${c.credential}${body} → ${status}`;
}

async function residentBytes(server: TestServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
}

describe(`fuzzing every protocol and the management API (seed ${SEED}, ${CASES} cases)`, () => {
  let server: TestServer;
  let inputs: Inputs;

  beforeAll(async () => {
    // Guesses must not get the address rate-limited: the point is to reach deep into every handler.
    server = await startServer({ env: { FLY_AUTH_FAILURE_LIMIT: '1000000' } });
    const admin = await login(server);
    const rw: CreatedToken = await admin.createToken({ name: 'fuzz-rw', permission: 'read-write' });
    const ro: CreatedToken = await admin.createToken({ name: 'fuzz-ro', permission: 'read-only' });
    const credentials = [
      {},
      { authorization: `Bearer ${admin.bearer ?? ''}` },
      { authorization: `Bearer ${rw.token}` },
      basicAuth(rw.username, rw.token),
      basicAuth('__token__', ro.token),
      // Cargo sends the bare token.
      { authorization: rw.token },
      { authorization: 'Bearer flyr_0000000000000000000000000000000000000000' },
      { authorization: 'Basic !!!not-base64' },
      { authorization: 'Negotiate abc' },
      { cookie: 'fly_session=flys_garbage' },
    ];
    // Artifacts of each protocol for the fuzz's reads, deletes and yanks to find.
    for (const seed of await seedUploads()) {
      const res = await fetch(`${server.url}${seed.path}`, { method: seed.method, headers: { authorization: `Bearer ${rw.token}` }, body: new Uint8Array(seed.body) });
      expect(res.status, `${seed.method} ${seed.path}: ${await res.text()}`).toBeLessThan(300);
    }
    const templates: PathTemplate[] = [...(await routeTemplates()), ...HAND_PATHS.map((path) => ({ path, methods: METHODS }))];
    inputs = { templates, credentials, bodies: await protocolBodies() };
    const counts = PROTOCOLS.map((p) => `${p.id} ${templates.filter((t) => t.protocol === p.id).length}`).join(', ');
    console.log(`fuzz path templates: ${counts}, by hand ${HAND_PATHS.length}`);
  });
  afterAll(() => server?.stop());

  it('answers every malformed request without a 5xx, a crash, a stack trace or unbounded memory', async () => {
    console.log(`fuzz seed ${SEED} (replay: FLY_FUZZ_SEED=${SEED} FLY_FUZZ_CASES=${CASES})`);
    const cases = makeCases(generator(SEED), inputs);
    const memoryBefore = await residentBytes(server);
    const failures: string[] = [];
    // Status classes per protocol, printed: how far the cases got (a protocol answering only 404s was not reached).
    const statuses = new Map<string, Map<string, number>>();
    let answered = 0;
    for (let i = 0; i < cases.length; i += PARALLEL) {
      await Promise.all(
        cases.slice(i, i + PARALLEL).map(async (c) => {
          let status: number | string;
          try {
            const res = await fetch(`${server.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body ? new Uint8Array(c.body) : undefined, signal: AbortSignal.timeout(30_000) });
            await res.arrayBuffer();
            status = res.status;
          } catch (error) {
            // A URL fetch itself refuses to send (invalid characters) is not a server failure.
            if (error instanceof TypeError && !/fetch failed/.test(error.message)) return;
            status = `network error: ${(error as Error).message}`;
          }
          answered++;
          const seen = statuses.get(c.protocol) ?? new Map<string, number>();
          const answer = typeof status === 'number' ? `${status}` : 'error';
          seen.set(answer, (seen.get(answer) ?? 0) + 1);
          statuses.set(c.protocol, seen);
          if (typeof status !== 'number' || status >= 500) failures.push(describeFailure(c, status));
        }),
      );
    }
    const memoryAfter = await residentBytes(server);
    for (const [protocol, seen] of statuses) console.log(`fuzz ${protocol}: ${[...seen].sort().map(([k, n]) => `${k}×${n}`).join(' ')}`);
    console.log(`fuzz: ${answered} requests answered, ${failures.length} 5xx or failures; resident memory ${Math.round(memoryBefore / 2 ** 20)} → ${Math.round(memoryAfter / 2 ** 20)} MiB`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const log = await server.settledOutput();
    // Failed requests and the log's errors together: the error lines say why the server answered 5xx.
    const errors = log.match(/.*("level":50|unhandled error|"stack").*/g)?.slice(0, 5) ?? [];
    expect({ failures: failures.slice(0, 20), errors }).toEqual({ failures: [], errors: [] });
    expect(answered).toBeGreaterThan(CASES * 0.9);
    expect(memoryAfter).toBeLessThan(1024 * 2 ** 20);
  });
});
