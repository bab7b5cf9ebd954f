import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, login, type ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { callTool, connectHttp, connectStdio } from '../helpers/mcp.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { skopeo } from '../oci/helpers/registry.js';

let server: TestServer;
let admin: ApiClient;
let image: Descriptor;
const developer = new CliUser();
const clients: Client[] = [];

beforeAll(async () => {
  server = await startServer();
  admin = await login(server);
  const developerApi = await createUser(admin, 'dev-deployer', 'developer');
  await developer.login(server, 'dev-deployer', 'pw-dev-deployer-0123456789');
  const layout = new OciLayout();
  image = await layout.addImage({ layers: 1 });
  layout.tag(image, 'v1');
  const pusher = await admin.createToken({ name: 'seed', permission: 'read-write' });
  const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `${pusher.username}:${pusher.token}`, `oci:${layout.dir}:v1`, `docker://${server.host}/shop/api:v1`]);
  if (pushed.code !== 0) throw new Error(`seeding the image failed: ${pushed.stderr}`);
  clients.push(await connectStdio(developer), await connectHttp(server.url, { authorization: `Bearer ${developerApi.bearer}` }));
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
  developer.remove();
});

async function deploymentsOf(environment: string): Promise<{ repository: string; digest: string }[]> {
  for (let i = 0; i < 50; i++) {
    const { deployments } = (await admin.get<{ deployments: { repository: string; digest: string }[] }>(`/api/v1/environments/${environment}/deployments`)).body;
    if (deployments.length > 0) return deployments;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

describe.each([
  ['stdio (flyreg mcp)', 0, 'production'],
  ['Streamable HTTP (/mcp)', 1, 'staging'],
])('an agent over %s', (_transport, index, environment) => {
  it(`creates a read-only ${environment} token whose secret pulls with skopeo (recorded as a deployment) but cannot push`, async () => {
    const mcp = clients[index] as Client;
    expect((await callTool(mcp, 'create_environment', { name: environment })).isError).toBe(false);
    const created = await callTool(mcp, 'create_token', { name: `${environment} nodes`, permission: 'read-only', environment });
    expect(created.isError, created.text).toBe(false);
    const creds = `${created.data.username as string}:${created.data.token as string}`;

    const local = new OciLayout().dir;
    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds, `docker://${server.host}/shop/api:v1`, `oci:${local}:x`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${local}:x`, `docker://${server.host}/shop/api:evil`]);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/denied|unauthorized|read-only/i);

    expect(await deploymentsOf(environment)).toEqual([expect.objectContaining({ repository: 'shop/api', digest: image.digest })]);
    const status = await callTool(mcp, 'environment_status', { name: environment });
    expect(status.data.running).toEqual([expect.objectContaining({ repository: 'shop/api', digest: image.digest })]);
    expect(status.data.drift).toEqual([expect.objectContaining({ repository: 'shop/api', status: 'unknown' })]);
  });
});
