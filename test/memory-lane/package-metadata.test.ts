import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tarGzOf } from '../helpers/tar-gz.js';
import { cargoPublishBody } from '../support/cargo-publish.js';
import { zipOf } from '../support/go-zips.js';
import { helmHome, runHelm } from '../helm/helm-tool.js';
import { answeredFromMemory, expectRefusedOnceRevoked, expectServedFromMemory, seen, type RealClient, type Seen } from './answers.js';

const MODULE = 'example.com/lane/mod';
const CRATE = 'lane-crate';
const CHART = 'lane-chart';

/** How each protocol's client authenticates: cargo sends the bare token, the others Basic credentials. */
type Auth = (token: CreatedToken) => Record<string, string>;
const basic: Auth = (token) => basicAuth(token.username, token.token);
const bare: Auth = (token) => ({ authorization: token.token });

interface Protocol {
  name: string;
  auth: Auth;
  /** The metadata GETs its memory lane answers once the package is in memory. */
  paths: string[];
  /** The 401 in the protocol's own format (and its challenge). */
  unauthorized(answer: Seen): void;
  /** A read-only token whose scope leaves out the package, and what the protocol answers it. */
  outOfScope: string;
  refused(answer: Seen): void;
}

const plain401 = (answer: Seen) => {
  expect(answer.status).toBe(401);
  expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(answer.headers['www-authenticate']).toBe('Basic realm="Fly Registry"');
  expect(answer.body.toString()).toMatch(/revoked/);
};

const PROTOCOLS: Protocol[] = [
  {
    name: 'Go',
    auth: basic,
    paths: [`/go/${MODULE}/@v/list`, `/go/${MODULE}/@latest`, `/go/${MODULE}/@v/v1.0.0.info`, `/go/${MODULE}/@v/v1.0.0.mod`],
    unauthorized: plain401,
    outOfScope: 'go:example.com/other/*',
    refused: (answer) => {
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.body.toString()).toMatch(/outside the token's scope/);
    },
  },
  {
    name: 'Cargo',
    auth: bare,
    paths: [`/cargo/index/la/ne/${CRATE}`],
    unauthorized: (answer) => {
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Cargo');
      expect(JSON.parse(answer.body.toString())).toEqual({ errors: [{ detail: expect.stringMatching(/revoked/) as unknown }] });
    },
    outOfScope: 'cargo:other-*',
    refused: (answer) => {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body.toString())).toEqual({ errors: [{ detail: expect.stringMatching(/outside the token's scope/) as unknown }] });
    },
  },
  {
    name: 'Helm',
    auth: basic,
    paths: ['/helm/index.yaml'],
    unauthorized: (answer) => {
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="Fly Registry"');
      expect(JSON.parse(answer.body.toString())).toEqual({ error: expect.stringMatching(/revoked/) as unknown });
    },
    // index.yaml is a listing any chart's reader may fetch: a token for another protocol only is refused.
    outOfScope: 'cargo:*',
    refused: (answer) => {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body.toString())).toEqual({ error: expect.stringMatching(/.+/) as unknown });
    },
  },
  {
    name: 'Maven',
    auth: basic,
    paths: [
      '/maven/com/lane/lib/1.0/lib-1.0.pom',
      '/maven/com/lane/lib/1.0/lib-1.0.pom.sha1',
      '/maven/com/lane/lib/maven-metadata.xml',
      '/maven/com/lane/lib/maven-metadata.xml.sha256',
    ],
    unauthorized: plain401,
    outOfScope: 'maven:com.other:*',
    refused: (answer) => {
      expect(answer.status).toBe(403);
      expect(answer.body.toString()).toMatch(/outside the token's scope/);
    },
  },
  {
    name: 'generic files',
    auth: basic,
    paths: ['/generic/lane-tool/1.0/notes.txt'],
    unauthorized: plain401,
    outOfScope: 'generic:other-*',
    refused: (answer) => {
      expect(answer.status).toBe(403);
      expect(answer.body.toString()).toMatch(/outside the token's scope/);
    },
  },
];

/**
 * The memory lane (protocols/kit/memory-lane.ts) answers a repeated metadata GET from what the process holds,
 * before Fastify: the answer must be the one the route's handler gave (status, every header, the bytes),
 * conditional requests included, and the guard must hold on the very next request after a revocation.
 */
describe('metadata GETs answered from memory are the handlers’ answers, behind the same guard', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;

  const get = (path: string, headers: Record<string, string>) => fetch(`${server.url}${path}`, { headers });

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    writer = await admin.createToken({ name: 'lane-ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'lane-builds', permission: 'read-only' });
    const put = async (path: string, body: Buffer, headers: Record<string, string>) => {
      const res = await fetch(`${server.url}${path}`, { method: 'PUT', headers, body: new Uint8Array(body) });
      expect(res.status, await res.text()).toBeLessThan(300);
    };
    await put(`/go/${MODULE}/@v/v1.0.0.zip`, await zipOf({ [`${MODULE}@v1.0.0/go.mod`]: `module ${MODULE}\n\ngo 1.22\n`, [`${MODULE}@v1.0.0/mod.go`]: 'package mod\n' }), basic(writer));
    const crate = tarGzOf({ [`${CRATE}-1.0.0/Cargo.toml`]: `[package]\nname = "${CRATE}"\nversion = "1.0.0"\n` });
    await put('/cargo/api/v1/crates/new', cargoPublishBody({ name: CRATE, vers: '1.0.0', deps: [], features: {}, links: null }, crate), bare(writer));
    await put(`/helm/charts/${CHART}-1.0.0.tgz`, tarGzOf({ [`${CHART}/Chart.yaml`]: `apiVersion: v2\nname: ${CHART}\nversion: 1.0.0\n` }), basic(writer));
    const pom = '<project><modelVersion>4.0.0</modelVersion><groupId>com.lane</groupId><artifactId>lib</artifactId><version>1.0</version></project>\n';
    await put('/maven/com/lane/lib/1.0/lib-1.0.pom', Buffer.from(pom), basic(writer));
    await put('/generic/lane-tool/1.0/notes.txt', Buffer.from('release notes\n'), basic(writer));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  for (const protocol of PROTOCOLS) {
    it(`${protocol.name}: the repeated GET (from memory) answers exactly as the first, a 304 too`, async () => {
      for (const path of protocol.paths) {
        const first = await seen(await get(path, protocol.auth(reader)));
        expect(first.status, `${path}: ${first.body.toString()}`).toBe(200);
        expect(first.body.length).toBeGreaterThan(0);
        for (let i = 0; i < 3; i++) expect(await seen(await get(path, protocol.auth(reader))), path).toEqual(first);
        expect(await answeredFromMemory(server, path), `${path} answered from memory`).toBeGreaterThan(0);
        const etag = first.headers.etag;
        if (etag === undefined) continue;
        const revalidated = await seen(await get(path, { ...protocol.auth(reader), 'if-none-match': etag }));
        expect(revalidated.status, path).toBe(304);
        expect(revalidated.body.length).toBe(0);
        expect(await seen(await get(path, { ...protocol.auth(reader), 'if-none-match': etag })), path).toEqual(revalidated);
      }
    });

    it(`${protocol.name}: a revoked token is refused on the very next request, in the protocol's format`, async () => {
      const token = await admin.createToken({ name: `lane-revoked-${protocol.name}`, permission: 'read-only' });
      const path = protocol.paths[0] as string;
      expect((await get(path, protocol.auth(token))).status).toBe(200);
      expect((await get(path, protocol.auth(token))).status).toBe(200);
      expect((await admin.post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
      const refused = await seen(await get(path, protocol.auth(token)));
      protocol.unauthorized(refused);
      expect(refused.body.toString()).not.toContain(token.token);
    });

    it(`${protocol.name}: a read token scoped elsewhere is refused, however often it asks`, async () => {
      const token = await admin.createToken({ name: `lane-scoped-${protocol.name}`, permission: 'read-only', scope: [protocol.outOfScope] });
      for (const path of protocol.paths) {
        for (let i = 0; i < 2; i++) protocol.refused(await seen(await get(path, protocol.auth(token))));
      }
    });
  }

  it('Maven and generic files: a Range of a small file is the same 206 from memory; an unsatisfiable one stays 416', async () => {
    for (const path of ['/maven/com/lane/lib/1.0/lib-1.0.pom', '/generic/lane-tool/1.0/notes.txt']) {
      const first = await seen(await get(path, { ...basic(reader), range: 'bytes=0-6' }));
      expect(first.status, path).toBe(206);
      expect(first.headers['content-range']).toMatch(/^bytes 0-6\/\d+$/);
      expect(first.body.length).toBe(7);
      expect(await seen(await get(path, { ...basic(reader), range: 'bytes=0-6' })), path).toEqual(first);
      for (let i = 0; i < 2; i++) expect((await get(path, { ...basic(reader), range: 'bytes=9999-' })).status, path).toBe(416);
    }
  });

  it('serves helm and curl from memory, and refuses them once their token is revoked', async () => {
    const token = await admin.createToken({ name: 'lane real clients', permission: 'read-only' });
    const work = mkdtempSync(join(tmpdir(), 'fly-lane-clients-'));
    const env = helmHome(work);
    const clients: RealClient[] = [
      {
        path: '/helm/index.yaml',
        warmHeaders: basic(token),
        run: async () => {
          const added = await runHelm(['repo', 'add', '--force-update', 'lane', `${server.url}/helm`, '--username', token.username, '--password-stdin'], work, env, token.token);
          return { code: added.code, stdout: added.output };
        },
        check: (out) => expect(out).toContain('"lane" has been added'),
      },
      {
        path: '/generic/lane-tool/1.0/notes.txt',
        warmHeaders: basic(token),
        // The credentials on curl's standard input (a config line), never on its command line.
        run: async () => {
          const curl = spawnSync('curl', ['-fsS', '-K', '-', `${server.url}/generic/lane-tool/1.0/notes.txt`], { input: `user = "${token.username}:${token.token}"\n`, encoding: 'utf8' });
          return { code: curl.status ?? -1, stdout: `${curl.stdout}${curl.stderr}` };
        },
        check: (out) => expect(out).toBe('release notes\n'),
      },
    ];
    try {
      for (const client of clients) await expectServedFromMemory(server, client);
      const search = await runHelm(['search', 'repo', CHART], work, env);
      expect(search.stdout).toContain(`lane/${CHART}`);
      await expectRefusedOnceRevoked(server, admin, token, clients, basic(reader));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('Helm: a token scoped to other charts gets, from memory too, the index without this chart', async () => {
    const token = await admin.createToken({ name: 'lane-helm-other', permission: 'read-only', scope: ['helm:other-*'] });
    const first = await seen(await get('/helm/index.yaml', basic(token)));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body.toString())).toMatchObject({ apiVersion: 'v1', entries: {} });
    expect(await seen(await get('/helm/index.yaml', basic(token)))).toEqual(first);
    const whole = await seen(await get('/helm/index.yaml', basic(reader)));
    expect(Object.keys((JSON.parse(whole.body.toString()) as { entries: object }).entries)).toEqual([CHART]);
    expect(whole.headers.etag).not.toBe(first.headers.etag);
  });
});
