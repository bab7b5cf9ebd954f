import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, login, type ApiClient, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { helmHome, runHelm, uploadChart } from './helm-tool.js';

describe('Helm: helm package + upload, helm repo add/pull/template with a read-only token, OCI push/pull', () => {
  let server: TestServer;
  let admin: ApiClient;
  let writer: CreatedToken;
  let reader: CreatedToken;
  let work: string;
  let env: Record<string, string>;
  let archive: string;

  const upload = (path: string, method: 'PUT' | 'POST', body: Buffer, token: CreatedToken) =>
    uploadChart(`${server.url}${path}`, method, body, token);

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'flyreg-helm-'));
    env = helmHome(join(work, 'home'));
    admin = await login(server);
    writer = await admin.createToken({ name: 'helm-ci', permission: 'read-write' });
    reader = await admin.createToken({ name: 'helm-deploy', permission: 'read-only' });
    expect((await runHelm(['create', 'flyapp'], work, env)).code).toBe(0);
    const packaged = await runHelm(['package', 'flyapp', '--version', '0.1.0', '--app-version', '1.2.3'], work, env);
    expect(packaged.code, packaged.output).toBe(0);
    archive = join(work, 'flyapp-0.1.0.tgz');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('uploads by PUT and by ChartMuseum POST; a read-only token is refused', async () => {
    const bytes = readFileSync(archive);
    const refused = await upload('/helm/charts/flyapp-0.1.0.tgz', 'PUT', bytes, reader);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/read-only/);
    const put = await upload('/helm/charts/flyapp-0.1.0.tgz', 'PUT', bytes, writer);
    expect(put.status, await put.text()).toBe(201);
    expect((await runHelm(['package', 'flyapp', '--version', '0.2.0'], work, env)).code).toBe(0);
    const post = await upload('/artifactory/api/helm/helm/api/charts', 'POST', readFileSync(join(work, 'flyapp-0.2.0.tgz')), writer);
    expect(post.status, await post.text()).toBe(201);
    const again = await upload('/helm/charts/flyapp-0.1.0.tgz', 'PUT', bytes, writer);
    expect(again.status).toBe(409);
  });

  it('helm repo add with the read-only token, then helm pull and helm template', async () => {
    const added = await runHelm(['repo', 'add', 'fly', `${server.url}/artifactory/api/helm/helm`, '--username', reader.username, '--password', reader.token], work, env);
    expect(added.code, added.output).toBe(0);
    const search = await runHelm(['search', 'repo', 'fly/flyapp', '--versions'], work, env);
    expect(search.stdout).toMatch(/fly\/flyapp\s+0\.2\.0/);
    expect(search.stdout).toMatch(/fly\/flyapp\s+0\.1\.0\s+1\.2\.3/);
    mkdirSync(join(work, 'pulled'));
    const pulled = await runHelm(['pull', 'fly/flyapp', '--version', '0.1.0', '-d', join(work, 'pulled')], work, env);
    expect(pulled.code, pulled.output).toBe(0);
    expect(readFileSync(join(work, 'pulled', 'flyapp-0.1.0.tgz'))).toEqual(readFileSync(archive));
    const template = await runHelm(['template', 'web', 'fly/flyapp', '--version', '0.1.0'], work, env);
    expect(template.code, template.output).toBe(0);
    expect(template.stdout).toMatch(/kind: Deployment/);
    expect(template.stdout).toMatch(/app.kubernetes.io\/version: "1.2.3"/);
  }, 120_000);

  it('index.yaml carries digests and created times, and follows deletes', async () => {
    const auth = basicAuth(reader.username, reader.token);
    const index = (await (await fetch(`${server.url}/helm/index.yaml`, { headers: auth })).json()) as {
      entries: Record<string, { version: string; digest: string; created: string; urls: string[] }[]>;
    };
    const { createHash } = await import('node:crypto');
    const first = index.entries.flyapp?.find((e) => e.version === '0.1.0');
    expect(first?.digest).toBe(createHash('sha256').update(readFileSync(archive)).digest('hex'));
    expect(first?.urls).toEqual(['charts/flyapp-0.1.0.tgz']);
    expect(Date.parse(first?.created ?? '')).not.toBeNaN();
    expect((await fetch(`${server.url}/helm/api/charts/flyapp/0.2.0`, { method: 'DELETE', headers: auth })).status).toBe(403);
    const deleted = await fetch(`${server.url}/helm/api/charts/flyapp/0.2.0`, { method: 'DELETE', headers: basicAuth(writer.username, writer.token) });
    expect(deleted.status).toBe(200);
    const after = (await (await fetch(`${server.url}/helm/index.yaml`, { headers: auth })).json()) as { entries: Record<string, { version: string }[]> };
    expect(after.entries.flyapp?.map((e) => e.version)).toEqual(['0.1.0']);
    expect((await fetch(`${server.url}/helm/index.yaml`)).status).toBe(401);
    const release = await admin.post('/api/v1/releases', { name: 'shop/chart', version: '1', artifacts: [{ type: 'helm', name: 'flyapp', version: '0.1.0' }] });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    const gone = await admin.post('/api/v1/releases', { name: 'shop/chart', version: '2', artifacts: [{ type: 'helm', name: 'flyapp', version: '0.2.0' }] });
    expect(JSON.stringify(gone.body)).toMatch(/helm package flyapp 0.2.0 does not exist/);
  });

  it('helm push and helm pull over OCI, with registry login; read-only push refused', async () => {
    const host = new URL(server.url).host;
    const ociEnv = helmHome(join(work, 'oci'));
    const loggedIn = await runHelm(['registry', 'login', host, '--username', reader.username, '--password-stdin', '--insecure'], work, ociEnv, reader.token);
    expect(loggedIn.code, loggedIn.output).toBe(0);
    const refused = await runHelm(['push', archive, `oci://${host}/charts`, '--plain-http'], work, ociEnv);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/denied|403|read-only/i);
    const asWriter = await runHelm(['registry', 'login', host, '--username', writer.username, '--password-stdin', '--insecure'], work, ociEnv, writer.token);
    expect(asWriter.code, asWriter.output).toBe(0);
    const pushed = await runHelm(['push', archive, `oci://${host}/charts`, '--plain-http'], work, ociEnv);
    expect(pushed.code, pushed.output).toBe(0);
    expect(pushed.output).toMatch(/Digest: sha256:/);
    mkdirSync(join(work, 'oci-pulled'));
    const pulled = await runHelm(['pull', `oci://${host}/charts/flyapp`, '--version', '0.1.0', '--plain-http', '-d', join(work, 'oci-pulled')], work, ociEnv);
    expect(pulled.code, pulled.output).toBe(0);
    expect(readFileSync(join(work, 'oci-pulled', 'flyapp-0.1.0.tgz'))).toEqual(readFileSync(archive));
  }, 120_000);
});
