import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedToken, Token } from '../../src/api/answers.js';
import { login, type ApiClient } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { callTool, connectHttp } from '../helpers/mcp.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pushImage } from '../oci/helpers/push.js';
import { basic, reg } from '../oci/helpers/registry.js';

/** `flyreg token create --scope` (repeatable) and the agent's `create_token` with a scope, against a real server. */
describe('scoped tokens from the CLI and the MCP tool', () => {
  let server: TestServer;
  let admin: ApiClient;
  let user: CliUser;
  let mcp: Client;

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server);
    const seed = await admin.createToken({ name: 'seed', permission: 'read-write' });
    for (const repo of ['team/api', 'team/web']) await pushImage(server, seed, repo, 'v1');
    expect((await admin.post('/api/v1/environments', { name: 'staging' })).status).toBe(201);
    user = new CliUser();
    await user.login(server);
    mcp = await connectHttp(server.url, { authorization: `Bearer ${admin.bearer}` });
  });
  afterAll(async () => {
    await mcp?.close();
    user?.remove();
    await server?.stop();
  });

  it('flyreg token create --scope, repeated, creates a scoped token and says so; list and show print the scope', async () => {
    const printed = await user.run(['token', 'create', '--name', 'team ci', '--scope', 'oci:team/*', '--scope', 'npm:@acme/*', '--expires', 'never']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('scope oci:team/*, npm:@acme/*');
    const created = await user.json<CreatedToken>(['token', 'create', '--name', 'team pull', '--permission', 'read-only', '--scope', 'oci:team/api']);
    expect(created.scope).toEqual([{ protocol: 'oci', resource: 'team/api', actions: ['pull'] }]);
    const list = await user.run(['token', 'list']);
    expect(list.stdout).toMatch(/SCOPE/);
    expect(list.stdout).toContain('oci:team/api (pull)');
    expect(list.stdout).toContain('whole registry');
    const show = await user.run(['token', 'show', created.id]);
    expect(show.stdout).toMatch(/scope\s+oci:team\/api \(pull\)/);
  });

  it('flyreg token create --scope with a bad pattern fails with the server message', async () => {
    const bad = await user.run(['token', 'create', '--name', 'bad', '--scope', 'docker:team/*']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown protocol "docker"/);
  });

  it('create_token: "a read-only token for staging that can only pull team/api"', async () => {
    const outcome = await callTool(mcp, 'create_token', { name: 'staging api pull', permission: 'read-only', environment: 'staging', scope: ['oci:team/api'] });
    expect(outcome.isError, outcome.text).toBe(false);
    expect(outcome.text).toContain('limited to oci:team/api (pull)');
    const created = outcome.data as unknown as CreatedToken;
    expect(created.environment).toBe('staging');
    expect((await reg(server, '/v2/team/api/manifests/v1', { auth: basic(created) })).status).toBe(200);
    expect((await reg(server, '/v2/team/web/manifests/v1', { auth: basic(created) })).status).toBe(403);
    const listed = await admin.get<{ tokens: Token[] }>('/api/v1/tokens');
    expect(listed.body.tokens.find((t) => t.id === created.id)?.scope).toEqual([{ protocol: 'oci', resource: 'team/api', actions: ['pull'] }]);
  });
});
