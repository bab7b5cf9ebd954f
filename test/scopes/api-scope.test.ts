import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopePreview, Token, Whoami } from '../../src/api/answers.js';
import { ApiClient, createUser, login, type ApiErrorBody, type CreatedToken } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';

type Refusal = ApiErrorBody & { error: { details?: { issues?: { path: string; message: string }[] } } };

/** The management API's side of fine-grained scopes: validation, answers, and the create dialog's preview. */
describe('token scopes through the API', () => {
  let server: TestServer;
  let admin: ApiClient;
  let seed: CreatedToken;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    seed = await admin.createToken({ name: 'seed', permission: 'read-write' });
    for (const repo of ['team/api', 'team/web', 'teams/other', 'other/api']) await pushImage(server, seed, repo, 'v1');
  });
  afterAll(() => server?.stop());

  const create = (scope: unknown, permission = 'read-write') =>
    admin.post<Refusal & CreatedToken>('/api/v1/tokens', { name: 'scoped', permission, expiresAt: null, scope });

  it('refuses bad scope input with 400 and a message naming the entry', async () => {
    const cases: [unknown, RegExp][] = [
      [['team/*'], /scope\.0\.protocol: must be "protocol:pattern"/],
      [['rubygems:acme-*'], /scope\.0: unknown protocol "rubygems": use one of oci, npm, pypi/],
      [['oci:te*am'], /scope\.0\.resource: may only end with "\*"/],
      [['oci:'], /scope\.0\.resource: must not be empty/],
      [['oci:a b'], /spaces/],
      [[`oci:${'a'.repeat(201)}`], /at most 200 characters/],
      [[], /scope: must list at least one/],
      [Array.from({ length: 51 }, (_, i) => `oci:r${i}`), /scope: must list at most 50 patterns/],
      ['oci:team/*', /scope: /],
      [[{ protocol: 'oci', resource: 'team/*', actions: ['manage'] }], /"pull", "push" or "delete"/],
    ];
    for (const [scope, message] of cases) {
      const res = await create(scope);
      expect(res.status, JSON.stringify(scope)).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(res.body.error.message).toMatch(message);
    }
    const pushOnly = await create([{ protocol: 'oci', resource: 'team/*', actions: ['push'] }], 'read-only');
    expect(pushOnly.status).toBe(400);
    expect(pushOnly.body.error.message).toMatch(/read-only token does not have/);
  });

  it('stores the scope with the token and answers it on create, list, show and whoami', async () => {
    const made = await create(['oci:team/*', 'npm:@acme/*', 'maven:com.acme.*']);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const expected = [
      { protocol: 'oci', resource: 'team/*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'npm', resource: '@acme/*', actions: ['pull', 'push', 'delete'] },
      { protocol: 'maven', resource: 'com.acme.*', actions: ['pull', 'push', 'delete'] },
    ];
    expect(made.body.scope).toEqual(expected);
    const shown = await admin.get<Token>(`/api/v1/tokens/${made.body.id}`);
    expect(shown.body.scope).toEqual(expected);
    const listed = await admin.get<{ tokens: Token[] }>('/api/v1/tokens');
    expect(listed.body.tokens.find((t) => t.id === made.body.id)?.scope).toEqual(expected);
    expect(listed.body.tokens.find((t) => t.id === seed.id)?.scope).toBeNull();
    const whoami = await new ApiClient(server, made.body.token).get<Whoami>('/api/v1/whoami');
    expect(whoami.body.token?.scope).toEqual(expected);
    const audit = await admin.get<{ events: { action: string; details: { scope?: string[] } }[] }>('/api/v1/audit');
    expect(audit.body.events.some((e) => JSON.stringify(e.details.scope) === JSON.stringify(['oci:team/*', 'npm:@acme/*', 'maven:com.acme.*']))).toBe(true);
  });

  it('previews which repositories each pattern matches', async () => {
    const res = await admin.post<ScopePreview>('/api/v1/tokens/scope-preview', { scope: ['oci:team/*', 'oci:other/api', 'npm:@acme/*', 'oci:*'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.matches).toEqual([
      { entry: 'oci:team/*', protocol: 'oci', resource: 'team/*', names: ['team/api', 'team/web'], more: false },
      { entry: 'oci:other/api', protocol: 'oci', resource: 'other/api', names: ['other/api'], more: false },
      { entry: 'npm:@acme/*', protocol: 'npm', resource: '@acme/*', names: [], more: false },
      { entry: 'oci:*', protocol: 'oci', resource: '*', names: ['other/api', 'team/api', 'team/web', 'teams/other'], more: false },
    ]);
    const bad = await admin.post<Refusal>('/api/v1/tokens/scope-preview', { scope: ['nope:x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown protocol "nope"/);
  });

  it('the preview is for people, not registry tokens; developers see what they may see', async () => {
    const asToken = await new ApiClient(server, seed.token).post('/api/v1/tokens/scope-preview', { scope: ['oci:*'] });
    expect(asToken.status).toBe(403);
    const developer = await createUser(admin, 'dev-scopes');
    const res = await developer.post<ScopePreview>('/api/v1/tokens/scope-preview', { scope: ['oci:team/*'] });
    expect(res.body.matches[0]?.names).toEqual(['team/api', 'team/web']);
  });
});
