import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken } from '../../src/api/answers.js';
import { login, type ApiClient } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { creds, skopeo } from '../oci/helpers/registry.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'deployments-webhook-secret-000';

describe('environment.deployed from real skopeo pulls', () => {
  let server: TestServer;
  let admin: ApiClient;
  let receiver: WebhookReceiver;
  let ci: CreatedToken;
  let production: CreatedToken;
  let v1: Descriptor;
  let v2: Descriptor;
  let layout: OciLayout;

  const image = (ref: string) => `docker://${server.host}/${ref}`;
  const pull = (ref: string) => skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(production), image(ref), `oci:${new OciLayout().dir}:x`]);
  const deployed = () =>
    receiver.received.filter((r) => r.headers['x-fly-event'] === 'environment.deployed').map((r) => JSON.parse(r.body) as { details: Record<string, unknown> });
  const waitForDeployed = async (count: number) => {
    for (let i = 0; i < 300 && deployed().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    return deployed();
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    server = await startServer({ env: { FLY_NOTIFY_INTERVAL_MS: '100' } });
    admin = await login(server);
    const hook = await admin.post('/api/v1/webhooks', { name: 'deploys', url: receiver.url, secret: SECRET, events: ['environment.deployed'] });
    expect(hook.status).toBe(201);
    ci = await admin.createToken({ name: 'CI', permission: 'read-write' });
    production = (await admin.post<{ token: CreatedToken }>('/api/v1/environments', { name: 'production', token: { name: 'prod nodes' } })).body.token;
    layout = new OciLayout();
    v1 = await layout.addImage({ layers: 1 });
    layout.tag(v1, 'v1');
    v2 = await layout.addImage({ layers: 1 });
    layout.tag(v2, 'v2');
    for (const tag of ['v1', 'v2']) {
      const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(ci), `oci:${layout.dir}:${tag}`, image(`team/api:${tag}`)]);
      if (pushed.code !== 0) throw new Error(`push ${tag}: ${pushed.stderr}`);
    }
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('announces each new image an environment runs, once, signed', async () => {
    expect((await pull('team/api:v1')).code).toBe(0);
    const [first] = await waitForDeployed(1);
    expect(first?.details).toMatchObject({ environment: 'production', repository: 'team/api', digest: v1.digest, tag: 'v1', run: 1 });

    // Pulling what already runs is no new deployment.
    expect((await pull('team/api:v1')).code).toBe(0);
    expect((await pull('team/api:v2')).code).toBe(0);
    const all = await waitForDeployed(2);
    expect(all.map((e) => e.details.digest)).toEqual([v1.digest, v2.digest]);
    for (const r of receiver.received) {
      expect(r.headers['x-fly-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    }
  });
});
