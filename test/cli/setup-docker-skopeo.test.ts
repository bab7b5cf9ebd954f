import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { skopeo } from '../oci/helpers/registry.js';

let server: TestServer;
let api: ApiClient;
const user = new CliUser();
let image: Descriptor;
let registry: string;

beforeAll(async () => {
  server = await startServer();
  api = await login(server);
  await user.login(server);
  registry = (await api.get<{ docker: { registry: string } }>('/api/v1/endpoints')).body.docker.registry;
  const layout = new OciLayout();
  image = await layout.addImage({ layers: 2 });
  layout.tag(image, 'v1');
  const pusher = await api.createToken({ name: 'seed', permission: 'read-write' });
  const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `${pusher.username}:${pusher.token}`, `oci:${layout.dir}:v1`, `docker://${server.host}/team/app:v1`]);
  if (pushed.code !== 0) throw new Error(`seeding the image failed: ${pushed.stderr}`);
});
afterAll(async () => {
  await server?.stop();
  user.remove();
});

const authfile = () => join(user.dockerConfig, 'config.json');

describe('flyreg setup docker with the real skopeo', () => {
  it('writes an auth entry that skopeo --authfile accepts, next to the entries that were there', async () => {
    mkdirSync(user.dockerConfig, { recursive: true });
    writeFileSync(authfile(), JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('me:keep').toString('base64') } } }));

    const denied = await skopeo(['inspect', '--tls-verify=false', '--authfile', authfile(), `docker://${registry}/team/app:v1`]);
    expect(denied.code, 'without our entry the registry must refuse').not.toBe(0);

    const [result] = await user.json<{ token: { username: string } }[]>(['setup', 'docker']);
    const inspected = await skopeo(['inspect', '--tls-verify=false', '--authfile', authfile(), `docker://${registry}/team/app:v1`]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect((JSON.parse(inspected.stdout) as { Digest: string }).Digest).toBe(image.digest);

    // The default setup token is read & write: the same entry pushes.
    const copied = await skopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--authfile', authfile(), `docker://${registry}/team/app:v1`, `docker://${registry}/team/app:copy`]);
    expect(copied.code, copied.stderr).toBe(0);

    const config = JSON.parse(readFileSync(authfile(), 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(config.auths['registry.example.com']?.auth ?? '', 'base64').toString()).toBe('me:keep');
    expect(Buffer.from(config.auths[registry]?.auth ?? '', 'base64').toString()).toMatch(new RegExp(`^${result?.token.username}:flyr_`));
  });

  it('setup docker --env: pulls through the written entry land in the environment timeline; pushes are refused', async () => {
    await api.post('/api/v1/environments', { name: 'staging' });
    const [result] = await user.json<{ token: { permission: string } }[]>(['setup', 'docker', '--env', 'staging']);
    expect(result?.token.permission).toBe('read-only');

    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--authfile', authfile(), `docker://${registry}/team/app:v1`, `oci:${new OciLayout().dir}:x`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const pushed = await skopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--authfile', authfile(), `docker://${registry}/team/app:v1`, `docker://${registry}/team/app:nope`]);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/denied|unauthorized|read-only/i);

    let deployments: { repository: string; digest: string }[] = [];
    for (let i = 0; i < 50 && deployments.length === 0; i++) {
      deployments = (await api.get<{ deployments: { repository: string; digest: string }[] }>('/api/v1/environments/staging/deployments')).body.deployments;
      if (deployments.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(deployments).toEqual([expect.objectContaining({ repository: 'team/app', digest: image.digest })]);
  });
});
