import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { dockerConfigOf } from './helpers/pull-secret.js';

interface Environment {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
  createdBy: string;
}
interface KubernetesSecret {
  namespace: string;
  secretName: string;
  manifest: string;
  kubectl: string;
}
type EnvToken = CreatedToken & { environment: string | null; snippets: CreatedToken['snippets'] & { kubernetes: KubernetesSecret } };
type Profile = Environment & { tokens: { id: string; status: string; permission: string; environment: string | null }[] };
type ValidationError = ApiErrorBody & { error: { details?: { issues?: { path: string; message: string }[] } } };

describe('environments through the management API', () => {
  let server: TestServer;
  let admin: ApiClient;
  let first: EnvToken;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
  });
  afterAll(() => server?.stop());

  it('creates an environment with its first token and a Kubernetes pull secret in one call', async () => {
    const res = await admin.post<{ environment: Environment; token: EnvToken }>('/api/v1/environments?namespace=shop&secretName=fly-pull', {
      name: 'production',
      description: 'Customers see this',
      color: '#D00000',
      token: { name: 'prod cluster' },
    });
    expect(res.status).toBe(201);
    expect(res.body.environment).toMatchObject({ name: 'production', description: 'Customers see this', color: '#d00000', createdBy: 'admin' });
    first = res.body.token;
    expect(first).toMatchObject({ name: 'prod cluster', permission: 'read-only', environment: 'production', environmentId: res.body.environment.id });
    expect(first.token).toMatch(/^flyr_/);

    const k8s = first.snippets.kubernetes;
    expect(k8s).toMatchObject({ namespace: 'shop', secretName: 'fly-pull' });
    expect(k8s.manifest).toContain('type: kubernetes.io/dockerconfigjson');
    expect(k8s.manifest).toContain('  name: fly-pull\n  namespace: shop\n');
    const config = dockerConfigOf(k8s.manifest);
    const host = new URL(first.snippets.npmrc.split('\n')[0]?.replace('registry=', '') ?? '').host;
    expect(config.auths[host]).toEqual({
      username: first.username,
      password: first.token,
      auth: Buffer.from(`${first.username}:${first.token}`).toString('base64'),
    });
    expect(k8s.kubectl).toBe(
      `kubectl create secret docker-registry fly-pull --namespace=shop --docker-server=${host} --docker-username=${first.username} --docker-password='${first.token}'`,
    );

    // The token works, and says which environment it belongs to.
    const whoami = await new ApiClient(server, first.token).get<{ token: { environmentId: string } }>('/api/v1/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body.token.environmentId).toBe(res.body.environment.id);
  });

  it('defaults the pull secret to fly-registry-secret in namespace default, and environments without a token', async () => {
    const res = await admin.post<{ environment: Environment; token: null }>('/api/v1/environments', { name: 'staging' });
    expect(res.status).toBe(201);
    expect(res.body.token).toBeNull();
    const token = await admin.post<EnvToken>('/api/v1/environments/staging/tokens', {});
    expect(token.status).toBe(201);
    expect(token.body).toMatchObject({ name: 'staging', permission: 'read-only', environment: 'staging' });
    expect(token.body.snippets.kubernetes).toMatchObject({ namespace: 'default', secretName: 'fly-registry-secret' });
  });

  it('creates environment tokens through POST /api/v1/tokens too: read-only unless asked', async () => {
    const ro = await admin.post<EnvToken>('/api/v1/tokens', { name: 'staging nodes', expiresAt: null, environment: 'staging' });
    expect(ro.status).toBe(201);
    expect(ro.body).toMatchObject({ permission: 'read-only', environment: 'staging' });
    const rw = await admin.post<EnvToken>('/api/v1/tokens', {
      name: 'staging deployer',
      permission: 'read-write',
      expiresAt: null,
      environment: 'staging',
      kubernetes: { namespace: 'ci' },
    });
    expect(rw.status).toBe(201);
    expect(rw.body).toMatchObject({ permission: 'read-write', environment: 'staging' });
    expect(rw.body.snippets.kubernetes.namespace).toBe('ci');
    const plain = await admin.createToken({ name: 'laptop', permission: 'read-only' });
    expect(plain).toMatchObject({ environment: null, environmentId: null });

    const missing = await admin.post<ValidationError>('/api/v1/tokens', { name: 'x', expiresAt: null, environment: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('Environment "nope" does not exist');
    const noPermission = await admin.post<ValidationError>('/api/v1/tokens', { name: 'x', expiresAt: null });
    expect(noPermission.status).toBe(400);
    expect(noPermission.body.error.details?.issues?.map((i) => i.path)).toEqual(['permission']);
  });

  it("lists environments and shows a profile with the environment's tokens", async () => {
    const list = await admin.get<{ environments: Environment[] }>('/api/v1/environments');
    expect(list.body.environments.map((e) => e.name)).toEqual(['production', 'staging']);
    const profile = await admin.get<Profile>('/api/v1/environments/staging');
    expect(profile.status).toBe(200);
    expect(profile.body.tokens).toHaveLength(3);
    expect(profile.body.tokens.every((t) => t.environment === 'staging' && t.status === 'active')).toBe(true);
    expect(JSON.stringify(profile.body)).not.toContain('flyr_');
  });

  it('refuses invalid names, colours and fields with a 400 naming the field, and a taken name with 409', async () => {
    for (const name of ['Production', 'prod env', '-prod', 'prod-', 'x'.repeat(64), '', 'prod\u0000', 42]) {
      const res = await admin.post<ValidationError>('/api/v1/environments', { name });
      expect(res.status, String(name)).toBe(400);
      expect(res.body.error.details?.issues?.[0]?.path).toBe('name');
    }
    const color = await admin.post<ValidationError>('/api/v1/environments', { name: 'qa', color: 'red' });
    expect(color.status).toBe(400);
    expect(color.body.error.message).toContain('color: must be a colour written #rrggbb');
    const unknown = await admin.post<ValidationError>('/api/v1/environments', { name: 'qa', owner: 'me' });
    expect(unknown.body.error.message).toContain('unknown field(s): owner');
    const secret = await admin.post<ValidationError>('/api/v1/environments?namespace=Not_Valid', { name: 'qa', token: {} });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toContain('namespace: must be a DNS label');
    expect((await admin.get('/api/v1/environments/qa')).status).toBe(404);
    const taken = await admin.post<ApiErrorBody>('/api/v1/environments', { name: 'staging' });
    expect(taken.status).toBe(409);
  });

  it('answers 404 for unknown environments on every route, and 400 for a comparison without two names', async () => {
    for (const path of ['nope', 'nope/deployments', 'nope/state', 'nope/drift', 'NOT%20VALID']) {
      const res = await admin.get<ApiErrorBody>(`/api/v1/environments/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await admin.post('/api/v1/environments/nope/tokens', {})).status).toBe(404);
    expect((await admin.request('PATCH', '/api/v1/environments/nope', { color: '#000000' })).status).toBe(404);
    const compare = await admin.get<ApiErrorBody>('/api/v1/environments/compare?a=staging&b=nope');
    expect(compare.status).toBe(404);
    expect(compare.body.error.message).toContain('"nope"');
    expect((await admin.get('/api/v1/environments/compare?a=staging')).status).toBe(400);
    expect((await admin.get('/api/v1/environments/compare?a=staging&b=staging')).status).toBe(400);
  });

  it('updates description and colour, and keeps the name', async () => {
    const res = await admin.request<Environment>('PATCH', '/api/v1/environments/staging', { description: 'Pre-production', color: '#00AA00' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'staging', description: 'Pre-production', color: '#00aa00' });
    expect((await admin.get<Environment>('/api/v1/environments/staging')).body.color).toBe('#00aa00');
    expect((await admin.request('PATCH', '/api/v1/environments/staging', { name: 'renamed' })).status).toBe(400);
    expect((await admin.request('PATCH', '/api/v1/environments/staging', {})).status).toBe(400);
  });

  it('lets registry tokens read nothing and manage nothing of environments', async () => {
    const rw = await admin.createToken({ name: 'ci', permission: 'read-write' });
    const ci = new ApiClient(server, rw.token);
    for (const res of [
      await ci.get<ApiErrorBody>('/api/v1/environments'),
      await ci.post<ApiErrorBody>('/api/v1/environments', { name: 'from-ci' }),
      await ci.get<ApiErrorBody>('/api/v1/environments/production/deployments'),
      await ci.request<ApiErrorBody>('DELETE', '/api/v1/environments/production?confirm=true'),
      await new ApiClient(server, first.token).post<ApiErrorBody>('/api/v1/environments/production/tokens', {}),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it("won't let a developer delete an environment whose tokens someone else created", async () => {
    const dev = await createUser(admin, 'dana');
    const res = await dev.request<ApiErrorBody>('DELETE', '/api/v1/environments/production?confirm=true');
    expect(res.status).toBe(403);
    expect((await admin.get<Profile>('/api/v1/environments/production')).body.tokens[0]?.status).toBe('active');
    // Their own environment, with their own token, they may delete.
    expect((await dev.post('/api/v1/environments', { name: 'dana-sandbox', token: {} })).status).toBe(201);
    expect((await dev.request('DELETE', '/api/v1/environments/dana-sandbox?confirm=true')).status).toBe(200);
  });

  it('deletes only with ?confirm=true, revokes its tokens at once, and keeps the history in the audit log', async () => {
    const refused = await admin.request<ApiErrorBody>('DELETE', '/api/v1/environments/production');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('?confirm=true');
    expect((await new ApiClient(server, first.token).get('/api/v1/whoami')).status).toBe(200);

    const deleted = await admin.request<{ deleted: boolean; revokedTokens: number }>('DELETE', '/api/v1/environments/production?confirm=true');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: true, revokedTokens: 1 });
    const after = await new ApiClient(server, first.token).get<ApiErrorBody>('/api/v1/whoami');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('token_revoked');
    expect((await admin.get('/api/v1/environments/production')).status).toBe(404);
    const token = await admin.get<{ status: string; environment: string | null }>(`/api/v1/tokens/${first.id}`);
    expect(token.body).toMatchObject({ status: 'revoked', environment: null });

    const audit = await admin.get<{ events: { action: string; target: { name: string | null }; details: Record<string, unknown> }[] }>(
      '/api/v1/audit?limit=100',
    );
    const about = audit.body.events.filter((e) => e.target.name === 'production' || e.target.name === 'prod cluster').map((e) => e.action);
    expect(about).toEqual(['environment.deleted', 'token.revoked', 'token.created', 'environment.created']);
    const updated = audit.body.events.find((e) => e.action === 'environment.updated');
    expect(updated?.details).toMatchObject({ after: { description: 'Pre-production', color: '#00aa00' } });
    const deletion = audit.body.events.find((e) => e.action === 'environment.deleted');
    expect(deletion?.details).toMatchObject({ revokedTokens: [first.id], running: [] });
  });
});
