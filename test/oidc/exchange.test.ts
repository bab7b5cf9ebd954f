import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OidcExchange, PublicationList, Release, ReleasePage, Token, TrustPolicy } from '../../src/api/answers.js';
import { buildWheel } from '../support/python-dists.js';
import { ApiClient, createUser, login, type ApiErrorBody } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { NpmSandbox } from '../npm/npm-cli.js';
import { OciLayout, type Descriptor } from '../oci/helpers/oci-layout.js';
import { skopeo } from '../oci/helpers/registry.js';
import { twineUpload } from '../pypi/twine.js';
import { TestOidcIssuer } from './oidc-issuer.js';

type Refusal = ApiErrorBody & { error: { details?: { reason?: string } } };

/**
 * The OIDC exchange end to end: a test-run OIDC issuer on loopback signs GitHub-Actions-shaped ID tokens,
 * the registry verifies them against the issuer's discovery document and JWKS, and the short-lived token it
 * hands back pushes an image with skopeo and publishes a package with npm.
 */
describe('OIDC exchange for CI', () => {
  let issuer: TestOidcIssuer;
  let server: TestServer;
  let admin: ApiClient;
  let anonymous: ApiClient;
  let sandbox: NpmSandbox;
  let image: Descriptor;
  let layout: OciLayout;
  /** The token of the first exchange, which publishes the run's artifacts. */
  let run: OidcExchange;

  const exchange = (token: string, extra: Record<string, unknown> = {}) => anonymous.post<OidcExchange & Refusal>('/api/v1/oidc/exchange', { token, ...extra });

  async function refused(token: string, reason: string, message: RegExp): Promise<void> {
    const res = await exchange(token);
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(res.body.error.details?.reason).toBe(reason);
    expect(res.body.error.message).toMatch(message);
  }

  beforeAll(async () => {
    issuer = await TestOidcIssuer.start();
    // Keys cached for a second, so the rotation below takes effect within the test.
    server = await startServer({ env: { FLY_OIDC_KEY_CACHE_SECONDS: '1' } });
    admin = await login(server);
    anonymous = new ApiClient(server);
    sandbox = new NpmSandbox();
    layout = new OciLayout();
    image = await layout.addImage({ layers: 1 });
    layout.tag(image, 'v1');
    const release = await admin.post<TrustPolicy>('/api/v1/oidc/policies', {
      name: 'shop-release',
      issuer: issuer.url,
      audience: 'fly-registry',
      rules: [
        { claim: 'repository', equals: 'acme/shop' },
        { claim: 'ref', equals: ['refs/heads/main', 'refs/tags/v*'] },
      ],
      permission: 'read-write',
      tokenTtlSeconds: 3600,
    });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    const short = await admin.post('/api/v1/oidc/policies', {
      name: 'shop-short',
      issuer: issuer.url,
      audience: 'fly-short',
      rules: [{ claim: 'repository', equals: 'acme/*' }],
      permission: 'read-only',
      tokenTtlSeconds: 5,
    });
    expect(short.status, JSON.stringify(short.body)).toBe(201);
  });

  afterAll(async () => {
    sandbox?.remove();
    await server?.stop();
    await issuer?.stop();
  });

  it('validates trust policies: admins only, at least one rule, no bare wildcard, https issuers', async () => {
    const developer = await createUser(admin, 'dev-oidc');
    const base = { name: 'p1', issuer: issuer.url, audience: 'a', rules: [{ claim: 'repository', equals: 'acme/shop' }], permission: 'read-only' };
    expect((await developer.post('/api/v1/oidc/policies', base)).status).toBe(403);
    const noRules = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, rules: [] });
    expect(noRules.status).toBe(400);
    expect(noRules.body.error.message).toContain('at least one claim rule');
    const wildcard = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, rules: [{ claim: 'repository', equals: '*' }] });
    expect(wildcard.body.error.message).toContain('only wildcards');
    const plainHttp = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, issuer: 'http://ci.example.com' });
    expect(plainHttp.body.error.message).toContain('must be https');
    const tooLong = await admin.post<ApiErrorBody>('/api/v1/oidc/policies', { ...base, tokenTtlSeconds: 7200 });
    expect(tooLong.body.error.message).toContain('at most 3600 seconds');
    const listed = await developer.get<{ policies: TrustPolicy[] }>('/api/v1/oidc/policies');
    expect(listed.body.policies.map((p) => p.name)).toEqual(['shop-release', 'shop-short']);
    expect(listed.body.policies[0]?.rules).toEqual([
      { claim: 'repository', values: ['acme/shop'] },
      { claim: 'ref', values: ['refs/heads/main', 'refs/tags/v*'] },
    ]);
  });

  it('exchanges a GitHub-shaped ID token for a token that pushes with skopeo and publishes with npm', async () => {
    const res = await exchange(await issuer.sign());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.trustPolicy).toBe('shop-release');
    expect(res.body.permission).toBe('read-write');
    expect(res.body.token).toMatch(/^flyr_/);
    const lifetime = new Date(res.body.expiresAt ?? 0).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3500_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
    expect(res.body.ci).toEqual({
      trustPolicyId: expect.any(String),
      issuer: issuer.url,
      subject: 'repo:acme/shop:ref:refs/tags/v1.4.0',
      repository: 'acme/shop',
      ref: 'refs/tags/v1.4.0',
      refName: 'v1.4.0',
      refType: 'tag',
      pullRequest: null,
      sha: '3f786850e387550fdab836ed7e6dc881de23001b',
      workflow: 'release',
      runId: '8812345',
      runUrl: `${issuer.url}/acme/shop/actions/runs/8812345/attempts/1`,
      actor: 'dana',
    });
    // An ordinary token record: the admin's list shows it, with the run it belongs to.
    const shown = await admin.get<Token>(`/api/v1/tokens/${res.body.id}`);
    expect(shown.body.ci?.runId).toBe('8812345');
    expect(shown.body.createdBy).toBe('admin');

    const pushed = await skopeo([
      'copy', '--dest-tls-verify=false', '--dest-creds', `${res.body.username}:${res.body.token}`,
      `oci:${layout.dir}:v1`, `docker://${server.host}/acme/shop:v1.4.0`,
    ]);
    expect(pushed.code, pushed.stderr).toBe(0);

    const project = sandbox.project(res.body.snippets.npmrc, {
      'package.json': { name: '@acme/shop-client', version: '1.4.0', main: 'index.js' },
      'index.js': 'module.exports = 42;\n',
    });
    const published = await sandbox.run(project, ['publish']);
    expect(published.code, published.output).toBe(0);
    expect(published.output).toContain('+ @acme/shop-client@1.4.0');

    const dist = mkdtempSync(join(tmpdir(), 'flyreg-oidc-dist-'));
    const wheel = await buildWheel(dist, { name: 'acme-shop-sdk', version: '1.4.0' });
    const uploaded = await twineUpload(server.url, '__token__', res.body.token, [wheel]);
    rmSync(dist, { recursive: true, force: true });
    expect(uploaded.code, uploaded.output).toBe(0);
    run = res.body;
  });

  it("groups the run's pushes into one automatic release whose source links come from the claims", async () => {
    const page = await admin.get<ReleasePage>('/api/v1/releases?name=acme/shop');
    expect(page.body.releases).toHaveLength(1);
    const release = page.body.releases[0] as Release;
    const digest = (await skopeo(['inspect', '--tls-verify=false', '--creds', `${run.username}:${run.token}`, '--format', '{{.Digest}}', `docker://${server.host}/acme/shop:v1.4.0`])).stdout.trim();
    expect(release).toMatchObject({
      name: 'acme/shop',
      version: 'v1.4.0',
      automatic: true,
      source: {
        commit: '3f786850e387550fdab836ed7e6dc881de23001b',
        branch: null,
        pr: null,
        author: 'dana',
        url: `${issuer.url}/acme/shop/actions/runs/8812345/attempts/1`,
      },
      createdBy: `admin (token ${run.username})`,
    });
    expect(release.artifacts).toEqual([
      { type: 'oci', repository: 'acme/shop', digest },
      { type: 'npm', name: '@acme/shop-client', version: '1.4.0' },
      { type: 'pypi', name: 'acme-shop-sdk', version: '1.4.0' },
    ]);
    // Each artifact says who published it: the token and the CI run.
    expect(release.publishedBy).toHaveLength(3);
    for (const publication of release.publishedBy) {
      expect(publication).toMatchObject({ tokenId: run.id, actor: `admin (token ${run.username})`, ci: { repository: 'acme/shop', runId: '8812345', sha: run.ci?.sha } });
    }
    const publications = await admin.get<PublicationList>('/api/v1/publications?type=npm&name=@acme/shop-client');
    expect(publications.body.publications[0]).toMatchObject({ artifact: { version: '1.4.0' }, tokenName: run.name, ci: { actor: 'dana' } });

    // A publication with an ordinary token is recorded too, with no CI run and no automatic release.
    const manual = await admin.createToken({ name: 'laptop', permission: 'read-write' });
    const pushed = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `${manual.username}:${manual.token}`, `oci:${layout.dir}:v1`, `docker://${server.host}/team/tool:v1`]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const manualPublications = await admin.get<PublicationList>('/api/v1/publications?type=oci&name=team/tool');
    expect(manualPublications.body.publications).toEqual([expect.objectContaining({ tokenId: manual.id, tokenName: 'laptop', ci: null })]);
    expect((await admin.get<ReleasePage>('/api/v1/releases?artifact=team/tool')).body.releases).toEqual([]);
  });

  it('an explicit release of the same name and version replaces the automatic one, and the run adds nothing to it', async () => {
    const ci = new ApiClient(server, run.token);
    const automatic = (await admin.get<ReleasePage>('/api/v1/releases?name=acme/shop')).body.releases[0] as Release;
    const oci = automatic.artifacts[0];
    const explicit = await ci.post<Release>('/api/v1/releases', { name: 'acme/shop', version: 'v1.4.0', artifacts: [oci], notes: 'by hand' });
    expect(explicit.status, JSON.stringify(explicit.body)).toBe(201);
    expect(explicit.body).toMatchObject({ automatic: false, notes: 'by hand', artifacts: [oci] });
    expect(explicit.body.publishedBy).toEqual([expect.objectContaining({ tokenId: run.id })]);

    const project = sandbox.project(run.snippets.npmrc, { 'package.json': { name: '@acme/shop-extra', version: '1.4.0' }, 'index.js': '' });
    const published = await sandbox.run(project, ['publish']);
    expect(published.code, published.output).toBe(0);
    const after = (await admin.get<ReleasePage>('/api/v1/releases?name=acme/shop')).body.releases;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: explicit.body.id, automatic: false, artifacts: [oci] });
  });

  it('refuses a replayed ID token, even though it is still valid', async () => {
    const token = await issuer.sign();
    expect((await exchange(token)).status).toBe(201);
    await refused(token, 'replayed', /already exchanged/);
  });

  it('refuses a wrong audience, an expired token, an unknown issuer and claims outside every policy', async () => {
    await refused(await issuer.sign({ aud: 'someone-else' }), 'audience', /audience/);
    const past = Math.floor(Date.now() / 1000) - 600;
    await refused(await issuer.sign({ iat: past - 300, nbf: past - 300, exp: past }), 'expired', /expired/);
    await refused(await issuer.sign({}, { issuer: 'https://token.ci.example.net' }), 'issuer', /no trust policy trusts the issuer "https:\/\/token\.ci\.example\.net"/);
    await refused(await issuer.sign({ ref: 'refs/heads/feature-x' }), 'claims', /shop-release: claim ref is "refs\/heads\/feature-x"/);
    await refused(await issuer.sign({ repository: 'evil/shop' }), 'claims', /claim repository is "evil\/shop", not "acme\/shop"/);
    await refused('not-a-jwt', 'invalid', /not a JWT/);
    const future = Math.floor(Date.now() / 1000) + 600;
    await refused(await issuer.sign({ nbf: future, iat: future, exp: future + 300 }), 'not_yet_valid', /not valid yet/);
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ iss: issuer.url, aud: 'fly-registry', sub: 's', jti: 'none-1', repository: 'acme/shop', ref: 'refs/heads/main', iat: now, exp: now + 60 }),
    ).toString('base64url');
    const res = await exchange(`${header}.${payload}.`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/ID token refused/);
  });

  it('refuses a token signed by a key the issuer rotated out, and accepts the new key', async () => {
    await issuer.rotate();
    // Past the registry's one-second key cache: the next exchange reads the new JWKS.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const fresh = await exchange(await issuer.sign());
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    await refused(await issuer.sign({}, { key: issuer.retired ?? undefined }), 'signature', /not signed by a key its issuer currently publishes/);
  });

  it('manages policies with the CLI: repeated --claim flags are alternatives, delete stops new exchanges', async () => {
    const user = new CliUser();
    try {
      await user.login(server);
      const created = await user.json<TrustPolicy>([
        'oidc', 'policy', 'create', 'shop-gitlab-style', '--issuer', issuer.url, '--audience', 'fly-cli',
        '--claim', 'repository=acme/shop', '--claim', 'ref=refs/heads/main', '--claim', 'ref=refs/tags/v*', '--permission', 'read-only', '--ttl', '600',
      ]);
      expect(created.rules).toEqual([
        { claim: 'repository', values: ['acme/shop'] },
        { claim: 'ref', values: ['refs/heads/main', 'refs/tags/v*'] },
      ]);
      const table = await user.run(['oidc', 'policy', 'list']);
      expect(table.stdout).toContain('shop-gitlab-style');
      expect(table.stdout).toContain('ref=refs/heads/main|refs/tags/v*');
      const bad = await user.run(['oidc', 'policy', 'create', 'x', '--issuer', issuer.url, '--audience', 'a', '--claim', 'repository', '--permission', 'read-only']);
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('must be <claim>=<value>') });

      const ok = await exchange(await issuer.sign({ aud: 'fly-cli', ref: 'refs/heads/main' }));
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ trustPolicy: 'shop-gitlab-style', permission: 'read-only' });
      const removed = await user.run(['oidc', 'policy', 'delete', 'shop-gitlab-style']);
      expect(removed.code, removed.stderr).toBe(0);
      await refused(await issuer.sign({ aud: 'fly-cli' }), 'audience', /audience/);
    } finally {
      user.remove();
    }
  });

  it('gives a short-lived token that stops working when it expires', async () => {
    const res = await exchange(await issuer.sign({ aud: 'fly-short' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.permission).toBe('read-only');
    const creds = `${res.body.username}:${res.body.token}`;
    const ref = `docker://${server.host}/acme/shop:v1.4.0`;
    const before = await skopeo(['inspect', '--tls-verify=false', '--creds', creds, ref]);
    expect(before.code, before.stderr).toBe(0);
    const pushAttempt = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${layout.dir}:v1`, `docker://${server.host}/acme/shop:nope`]);
    expect(pushAttempt.code).not.toBe(0);
    const wait = new Date(res.body.expiresAt ?? 0).getTime() - Date.now() + 500;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    const after = await skopeo(['inspect', '--tls-verify=false', '--creds', creds, ref]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/expired/i);
    const listed = await admin.get<Token>(`/api/v1/tokens/${res.body.id}`);
    expect(listed.body.status).toBe('expired');
  });
});
