import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { helmHome, runHelm, uploadChart } from '../helm/helm-tool.js';
import { openUploads, storedBlobs } from '../pypi/uploads.js';

type Index = { entries: Record<string, { version: string }[]> };

/**
 * Fine-grained scopes with the real helm: a token scoped to `helm:team-*` sees only team-* charts in
 * index.yaml (helm repo add/update, helm search), pulls team-api and is refused other-api by file name;
 * a read & write token with that scope uploads team-* charts and is refused other-* with nothing stored.
 */
describe('a Helm token scoped to helm:team-*', () => {
  let server: TestServer;
  let admin: ApiClient;
  let publisher: CreatedToken;
  let teamReader: CreatedToken;
  let teamWriter: CreatedToken;
  let work: string;
  let env: Record<string, string>;

  const repository = () => `${server.url}/artifactory/api/helm/helm`;
  const packaged = (name: string) => join(work, `${name}-0.1.0.tgz`);
  const upload = (path: string, method: 'PUT' | 'POST', chart: string, token: CreatedToken) =>
    uploadChart(`${server.url}${path}`, method, readFileSync(packaged(chart)), token);
  const index = async (token: CreatedToken, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/helm/index.yaml`, { headers: { ...basicAuth(token.username, token.token), ...headers } });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-helm-scope-'));
    env = helmHome(join(work, 'home'));
    admin = await login(server);
    publisher = await admin.createToken({ name: 'helm seed', permission: 'read-write' });
    teamReader = await admin.createToken({ name: 'team deploy', permission: 'read-only', scope: ['helm:team-*'] });
    teamWriter = await admin.createToken({ name: 'team ci', permission: 'read-write', scope: ['helm:team-*'] });
    for (const name of ['team-api', 'other-api', 'team-web', 'other-web', 'other-job']) {
      expect((await runHelm(['create', name], work, env)).code).toBe(0);
      const made = await runHelm(['package', name, '--version', '0.1.0'], work, env);
      expect(made.code, made.output).toBe(0);
    }
    for (const name of ['team-api', 'other-api']) {
      const put = await upload(`/helm/charts/${name}-0.1.0.tgz`, 'PUT', name, publisher);
      expect(put.status, await put.text()).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('helm repo add/update and helm search see only team-* charts; an unscoped token sees them all', async () => {
    const added = await runHelm(['repo', 'add', 'fly', repository(), '--username', teamReader.username, '--password', teamReader.token], work, env);
    expect(added.code, added.output).toBe(0);
    const updated = await runHelm(['repo', 'update', 'fly'], work, env);
    expect(updated.code, updated.output).toBe(0);
    const search = await runHelm(['search', 'repo', 'fly/'], work, env);
    expect(search.stdout).toMatch(/fly\/team-api\s+0\.1\.0/);
    expect(search.stdout).not.toMatch(/other-api/);
    const all = (await (await index(publisher)).json()) as Index;
    expect(Object.keys(all.entries).sort()).toEqual(['other-api', 'team-api']);
  }, 120_000);

  it('the scoped index has its own entity tag, and a conditional GET with it answers 304', async () => {
    const scoped = await index(teamReader);
    const whole = await index(publisher);
    const tag = scoped.headers.get('etag') ?? '';
    expect(tag).not.toBe('');
    expect(tag).not.toBe(whole.headers.get('etag'));
    expect(Object.keys(((await scoped.json()) as Index).entries)).toEqual(['team-api']);
    expect((await index(teamReader, { 'if-none-match': tag })).status).toBe(304);
  });

  it('helm pull of team-api works; other-api is not in its index, and its file is refused by URL', async () => {
    mkdirSync(join(work, 'pulled'));
    const pulled = await runHelm(['pull', 'fly/team-api', '--version', '0.1.0', '-d', join(work, 'pulled')], work, env);
    expect(pulled.code, pulled.output).toBe(0);
    expect(readFileSync(join(work, 'pulled', 'team-api-0.1.0.tgz'))).toEqual(readFileSync(packaged('team-api')));
    const byName = await runHelm(['pull', 'fly/other-api', '--version', '0.1.0', '-d', join(work, 'pulled')], work, env);
    expect(byName.code).not.toBe(0);
    expect(byName.output).toMatch(/other-api/);
    const byUrl = await runHelm(
      ['pull', `${repository()}/charts/other-api-0.1.0.tgz`, '--username', teamReader.username, '--password', teamReader.token, '-d', join(work, 'pulled')],
      work,
      env,
    );
    expect(byUrl.code).not.toBe(0);
    expect(byUrl.output).toMatch(/403/);
    expect(byUrl.output).not.toContain(teamReader.token);
    const direct = await fetch(`${server.url}/helm/charts/other-api-0.1.0.tgz`, { headers: basicAuth(teamReader.username, teamReader.token) });
    expect(direct.status).toBe(403);
    expect(((await direct.json()) as { error: string }).error).toMatch(/outside the token's scope/);
    // A file that does not exist answers the same, so the scope does not reveal which charts exist.
    expect((await fetch(`${server.url}/helm/charts/other-nope-0.1.0.tgz`, { headers: basicAuth(teamReader.username, teamReader.token) })).status).toBe(403);
    expect((await fetch(`${server.url}/helm/charts/team-nope-0.1.0.tgz`, { headers: basicAuth(teamReader.username, teamReader.token) })).status).toBe(404);
  }, 120_000);

  it('uploads team-* charts by PUT and POST, and refuses other-* with nothing stored', async () => {
    const put = await upload('/helm/charts/team-web-0.1.0.tgz', 'PUT', 'team-web', teamWriter);
    expect(put.status, await put.text()).toBe(201);
    const blobs = storedBlobs(server).sort();
    for (const [path, method, chart] of [
      ['/helm/charts/other-web-0.1.0.tgz', 'PUT', 'other-web'],
      ['/artifactory/api/helm/helm/api/charts', 'POST', 'other-job'],
    ] as const) {
      const refused = await upload(path, method, chart, teamWriter);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toMatch(new RegExp(`${chart}: it is outside the token's scope`));
      const file = await fetch(`${server.url}/helm/charts/${chart}-0.1.0.tgz`, { headers: basicAuth(publisher.username, publisher.token) });
      expect(file.status).toBe(404);
    }
    // The refused archives were streamed to read their Chart.yaml, then discarded.
    expect(storedBlobs(server).sort()).toEqual(blobs);
    expect(openUploads(server)).toEqual([]);
    const readOnly = await upload('/helm/charts/team-web-0.1.0.tgz', 'PUT', 'team-web', teamReader);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as { error: string }).error).toMatch(/read-only/);
    const all = (await (await index(publisher)).json()) as Index;
    expect(Object.keys(all.entries).sort()).toEqual(['other-api', 'team-api', 'team-web']);
    const updated = await runHelm(['repo', 'update', 'fly'], work, env);
    expect(updated.code, updated.output).toBe(0);
    const search = await runHelm(['search', 'repo', 'fly/'], work, env);
    expect(search.stdout).toMatch(/fly\/team-web\s+0\.1\.0/);
    expect(search.stdout).not.toMatch(/other-/);
  }, 120_000);
});
