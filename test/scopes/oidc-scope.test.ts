import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcExchange, TrustPolicy } from '../../src/api/answers.js';
import { ApiClient, login, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { OciLayout } from '../oci/helpers/oci-layout.js';
import { reg, skopeo } from '../oci/helpers/registry.js';
import { TestOidcIssuer } from '../oidc/oidc-issuer.js';

/**
 * A trust policy's scope is enforced on the tokens it issues: the CI job's exchanged token pushes and pulls
 * inside `oci:acme/shop*` with skopeo and is refused everything else, through the same authorize().
 */
describe('OIDC: an exchanged token is held to its trust policy scope', () => {
  let issuer: TestOidcIssuer;
  let server: TestServer;
  let admin: ApiClient;
  let seed: CreatedToken;
  let layout: OciLayout;
  let exchanged: OidcExchange;

  const at = (ref: string) => `docker://${server.host}/${ref}`;
  const creds = (t: { username: string; token: string }) => `${t.username}:${t.token}`;
  const basic = (t: { username: string; token: string }) => `Basic ${Buffer.from(creds(t)).toString('base64')}`;

  beforeAll(async () => {
    issuer = await TestOidcIssuer.start();
    server = await startServer();
    admin = await login(server);
    seed = await admin.createToken({ name: 'seed', permission: 'read-write' });
    layout = new OciLayout();
    layout.tag(await layout.addImage({ layers: 1 }), 'v1');
    const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(seed), `oci:${layout.dir}:v1`, at('other/app:v1')]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const policy = await admin.post<TrustPolicy>('/api/v1/oidc/policies', {
      name: 'shop-images',
      issuer: issuer.url,
      audience: 'fly-registry',
      rules: [{ claim: 'repository', equals: 'acme/shop' }],
      permission: 'read-write',
      scope: ['oci:acme/shop*', { protocol: 'npm', resource: '@acme/*', actions: ['pull'] }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect(policy.body.scope).toEqual([
      { protocol: 'oci', resource: 'acme/shop*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'npm', resource: '@acme/*', actions: ['pull'] },
    ]);
    const res = await new ApiClient(server).post<OidcExchange>('/api/v1/oidc/exchange', { token: await issuer.sign() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    exchanged = res.body;
  });

  afterAll(async () => {
    await server?.stop();
    await issuer?.stop();
  });

  it('the exchanged token carries the policy scope', () => {
    expect(exchanged.scope).toEqual([
      { protocol: 'oci', resource: 'acme/shop*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'npm', resource: '@acme/*', actions: ['pull'] },
    ]);
  });

  it('pushes and pulls inside the scope with skopeo', async () => {
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(exchanged), `oci:${layout.dir}:v1`, at('acme/shop-api:v1')]);
    expect(push.code, push.stderr).toBe(0);
    const target = new OciLayout();
    const pull = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(exchanged), at('acme/shop-api:v1'), `oci:${target.dir}:v1`]);
    expect(pull.code, pull.stderr).toBe(0);
  });

  it('is refused outside the scope: pull and push elsewhere, and push where the policy grants only pull', async () => {
    const target = new OciLayout();
    const pull = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(exchanged), at('other/app:v1'), `oci:${target.dir}:v1`]);
    expect(pull.code).not.toBe(0);
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(exchanged), `oci:${layout.dir}:v1`, at('other/new:v1')]);
    expect(push.code).not.toBe(0);
    const direct = await reg(server, '/v2/other/app/manifests/v1', { auth: basic(exchanged) });
    expect(direct.status).toBe(403);
    const npmPublish = await reg(server, '/npm/@acme%2fthing', {
      method: 'PUT',
      auth: basic(exchanged),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '@acme/thing', versions: {} }),
    });
    expect(npmPublish.status).toBe(403);
    expect(((await npmPublish.json()) as { error: string }).error).toMatch(/read-only|upload or publish/);
  });

  it('refuses a policy whose scope names an unknown protocol or a bad pattern (400)', async () => {
    const base = { issuer: issuer.url, audience: 'x', rules: [{ claim: 'repository', equals: 'acme/shop' }], permission: 'read-only' };
    const unknown = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, name: 'bad-one', scope: ['rubygems:acme-*'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/unknown protocol "rubygems"/);
    const pattern = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, name: 'bad-two', scope: ['oci:*/api'] });
    expect(pattern.status).toBe(400);
    expect(pattern.body.error.message).toMatch(/may only end with "\*"/);
  });
});
