import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Comparison, CreatedToken, Deployment, EnvironmentDrift } from '../../src/api/answers.js';
import { ApiClient, login } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { basic, creds, reg, skopeo } from '../oci/helpers/registry.js';
import { dockerConfigOf } from './helpers/pull-secret.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longer than the pull recorder's flush interval (500 ms) with room for a slow machine. */
const FLUSHED_MS = 1500;

describe('environments, pulls and drift with the real skopeo client', () => {
  let server: TestServer;
  let admin: ApiClient;
  let ci: CreatedToken;
  let reader: CreatedToken;
  let stagingToken: CreatedToken;
  let productionToken: CreatedToken;
  let v1: Descriptor;
  let v2: Descriptor;
  let index: Descriptor;
  let tools: Descriptor;

  const image = (ref: string) => `docker://${server.host}/${ref}`;
  const pull = (token: CreatedToken, ref: string) =>
    skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(token), image(ref), `oci:${new OciLayout().dir}:x`]);
  const timeline = async (env: string) => {
    const res = await admin.get<{ deployments: Deployment[] }>(`/api/v1/environments/${env}/deployments`);
    expect(res.status).toBe(200);
    return res.body.deployments;
  };
  /** Polls until the recorder's batch has landed (it is written off the request path). */
  const timelineWhen = async (env: string, ready: (d: Deployment[]) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const deployments = await timeline(env);
      if (ready(deployments)) return deployments;
      await sleep(100);
    }
    return timeline(env);
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    ci = await admin.createToken({ name: 'CI', permission: 'read-write' });
    reader = await admin.createToken({ name: 'laptop', permission: 'read-only' });
    const staging = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'staging', token: {} });
    const production = await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'production', token: { name: 'prod nodes' } });
    stagingToken = staging.body.token;
    productionToken = production.body.token;

    const layout = new OciLayout();
    v1 = await layout.addImage({ layers: 2 });
    layout.tag(v1, 'v1');
    v2 = await layout.addImage({ layers: 2 });
    layout.tag(v2, 'v2');
    index = await layout.addIndex(['amd64', 'arm64'], 1);
    layout.tag(index, 'multi');
    tools = await layout.addImage({ layers: 1 });
    layout.tag(tools, 'tools');
    for (const [tag, target, all] of [
      ['v1', 'team/shop:v1', false],
      ['v2', 'team/shop:v2', false],
      ['multi', 'team/multi:1', true],
      ['tools', 'team/tools:latest', false],
    ] as const) {
      const pushed = await skopeo(['copy', ...(all ? ['--all'] : []), '--dest-tls-verify=false', '--dest-creds', creds(ci), `oci:${layout.dir}:${tag}`, image(target)]);
      if (pushed.code !== 0) throw new Error(`push ${target}: ${pushed.stderr}`);
    }
  });
  afterAll(() => server?.stop());

  it('records releases v1 and v2 of the image through the API with a read & write token', async () => {
    for (const [version, d] of [['1.0.0', v1], ['2.0.0', v2]] as const) {
      const res = await new ApiClient(server, ci.token).post('/api/v1/releases', {
        name: 'shop',
        version,
        artifacts: [{ type: 'oci', repository: 'team/shop', digest: d.digest }],
        source: { commit: `c0ffee${version.replace(/\./g, '')}`, branch: 'main' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const multi = await new ApiClient(server, ci.token).post('/api/v1/releases', {
      name: 'multi',
      version: '1',
      artifacts: [{ type: 'oci', repository: 'team/multi', digest: index.digest }],
    });
    expect(multi.status).toBe(201);
  });

  it('pulls v1 into production and v2 into staging; the timelines show exactly those deployments', async () => {
    const prod = await pull(productionToken, 'team/shop:v1');
    expect(prod.code, prod.stderr).toBe(0);
    const stage = await pull(stagingToken, 'team/shop:v2');
    expect(stage.code, stage.stderr).toBe(0);

    const production = await timelineWhen('production', (d) => d.length > 0);
    expect(production).toEqual([
      expect.objectContaining({
        repository: 'team/shop',
        digest: v1.digest,
        tag: 'v1',
        pullCount: 1,
        running: true,
        release: expect.objectContaining({ name: 'shop', version: '1.0.0' }),
      }),
    ]);
    const staging = await timelineWhen('staging', (d) => d.length > 0);
    expect(staging).toEqual([
      expect.objectContaining({ repository: 'team/shop', digest: v2.digest, tag: 'v2', pullCount: 1, release: expect.objectContaining({ version: '2.0.0' }) }),
    ]);
    const state = await admin.get<{ repositories: { repository: string; digest: string; tag: string }[] }>('/api/v1/environments/production/state');
    expect(state.body.repositories.map((r) => [r.repository, r.digest, r.tag])).toEqual([['team/shop', v1.digest, 'v1']]);
  });

  it("says production is behind by 1 (latest 2.0.0) and staging is up to date", async () => {
    const production = await admin.get<EnvironmentDrift>('/api/v1/environments/production/drift');
    expect(production.body.repositories).toEqual([
      expect.objectContaining({
        repository: 'team/shop',
        digest: v1.digest,
        status: 'behind',
        behind: 1,
        release: expect.objectContaining({ version: '1.0.0' }),
        latest: expect.objectContaining({ name: 'shop', version: '2.0.0', digest: v2.digest }),
      }),
    ]);
    const staging = await admin.get<EnvironmentDrift>('/api/v1/environments/staging/drift');
    expect(staging.body.repositories).toEqual([expect.objectContaining({ repository: 'team/shop', status: 'up-to-date', behind: 0 })]);
  });

  it('compares staging with production: the repository with both digests and their releases', async () => {
    const res = await admin.get<Comparison>(
      '/api/v1/environments/compare?a=staging&b=production',
    );
    expect(res.status).toBe(200);
    expect(res.body.repositories).toEqual([
      {
        repository: 'team/shop',
        a: expect.objectContaining({ digest: v2.digest, release: expect.objectContaining({ version: '2.0.0' }) }),
        b: expect.objectContaining({ digest: v1.digest, release: expect.objectContaining({ version: '1.0.0' }) }),
      },
    ]);
  });

  it('counts a HEAD then a GET of the same image as one pull of one deployment', async () => {
    const second = (await admin.post<CreatedToken>('/api/v1/environments/staging/tokens', { name: 'node 2' })).body;
    const head = await reg(server, '/v2/team/shop/manifests/v2', { method: 'HEAD', auth: basic(second) });
    expect(head.status).toBe(200);
    const get = await reg(server, `/v2/team/shop/manifests/${v2.digest}`, { auth: basic(second), headers: { accept: v2.mediaType } });
    expect(get.status).toBe(200);
    const staging = await timelineWhen('staging', (d) => d[0]?.pullCount === 2);
    expect(staging.map((d) => [d.digest, d.pullCount])).toEqual([[v2.digest, 2]]);
    await sleep(FLUSHED_MS);
    expect((await timeline('staging')).map((d) => [d.digest, d.pullCount])).toEqual([[v2.digest, 2]]);
  });

  it('attributes a platform manifest skopeo picks from an index to the index, and images in no release are unknown', async () => {
    expect((await pull(stagingToken, 'team/multi:1')).code).toBe(0);
    expect((await pull(stagingToken, 'team/tools:latest')).code).toBe(0);
    const staging = await timelineWhen('staging', (d) => d.length >= 3);
    expect(staging.filter((d) => d.repository === 'team/multi').map((d) => [d.digest, d.tag, d.release?.name])).toEqual([
      [index.digest, '1', 'multi'],
    ]);
    const drift = await admin.get<EnvironmentDrift>('/api/v1/environments/staging/drift');
    expect(drift.body.repositories.map((r) => [r.repository, r.status])).toEqual([
      ['team/multi', 'up-to-date'],
      ['team/shop', 'up-to-date'],
      ['team/tools', 'unknown'],
    ]);
    expect(drift.body.repositories.find((r) => r.repository === 'team/tools')).toMatchObject({ behind: null, latest: null, release: null });
  });

  it('records nothing for a pull with a token that belongs to no environment', async () => {
    const before = [await timeline('production'), await timeline('staging')];
    const res = await pull(reader, 'team/shop:v2');
    expect(res.code, res.stderr).toBe(0);
    await sleep(FLUSHED_MS);
    expect([await timeline('production'), await timeline('staging')]).toEqual(before);
  });

  it('stops both the pull and its recording once the environment token is revoked', async () => {
    const before = await timeline('production');
    expect((await admin.post(`/api/v1/tokens/${productionToken.id}/revoke`)).status).toBe(200);
    const res = await pull(productionToken, 'team/shop:v2');
    expect(res.code).not.toBe(0);
    expect(res.stderr.toLowerCase()).toMatch(/unauthorized|authentication required|revoked/);
    const head = await reg(server, '/v2/team/shop/manifests/v2', { method: 'HEAD', auth: basic(productionToken) });
    expect(head.status).toBe(401);
    await sleep(FLUSHED_MS);
    expect(await timeline('production')).toEqual(before);
  });

  it('hands out a pull secret whose decoded .dockerconfigjson skopeo accepts, and that pull deploys v2 to production', async () => {
    const created = await admin.post<CreatedToken>('/api/v1/environments/production/tokens?secretName=shop-pull', { name: 'prod nodes 2' });
    expect(created.status).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'flyreg-authfile-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const authfile = join(dir, 'config.json');
    writeFileSync(authfile, JSON.stringify(dockerConfigOf(created.body.snippets.kubernetes.manifest)));
    // The secret is keyed by the public host, so pull by it as a cluster would.
    const publicHost = Object.keys(dockerConfigOf(created.body.snippets.kubernetes.manifest).auths)[0];
    const inspected = await skopeo(['inspect', '--tls-verify=false', '--authfile', authfile, `docker://${publicHost}/team/shop:v2`]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect((JSON.parse(inspected.stdout) as { Digest: string }).Digest).toBe(v2.digest);
    const noAuth = await skopeo(['inspect', '--tls-verify=false', `docker://${publicHost}/team/shop:v2`]);
    expect(noAuth.code).not.toBe(0);

    const production = await timelineWhen('production', (d) => d.length === 2);
    expect(production.map((d) => [d.digest, d.tag, d.running, d.release?.version])).toEqual([
      [v1.digest, 'v1', false, '1.0.0'],
      [v2.digest, 'v2', true, '2.0.0'],
    ]);
    const drift = await admin.get<EnvironmentDrift>('/api/v1/environments/production/drift');
    expect(drift.body.repositories.map((r) => [r.status, r.behind])).toEqual([['up-to-date', 0]]);
    const compare = await admin.get<{ repositories: unknown[] }>('/api/v1/environments/compare?a=staging&b=production');
    expect(compare.body.repositories.map((r) => (r as { repository: string }).repository)).toEqual(['team/multi', 'team/tools']);
  });
});
