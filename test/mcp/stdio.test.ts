import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login } from '../helpers/api.js';
import { CliUser } from '../helpers/cli.js';
import { callTool, connectStdio, TOOL_NAMES } from '../helpers/mcp.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let adminApi: ApiClient;
const developer = new CliUser();
let mcp: Client;

beforeAll(async () => {
  server = await startServer();
  adminApi = await login(server);
  await createUser(adminApi, 'dev-agent', 'developer');
  await developer.login(server, 'dev-agent', 'pw-dev-agent-0123456789');
  mcp = await connectStdio(developer);
});
afterAll(async () => {
  await mcp?.close();
  await server?.stop();
  developer.remove();
});

async function whoami(bearer: string) {
  return new ApiClient(server, bearer).get<{ token?: { permission: string; username: string } }>('/api/v1/whoami');
}

describe('flyreg mcp (stdio, with the stored login)', () => {
  it('lists the tools with descriptions and precise input schemas', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) expect(tool.description?.length, tool.name).toBeGreaterThan(40);
    const create = tools.find((t) => t.name === 'create_token');
    // permission may be left out for environment tokens (read-only by default); the API refuses it missing otherwise.
    expect(create?.inputSchema.required).toEqual(['name']);
    expect(create?.inputSchema.properties?.permission).toMatchObject({ enum: ['read-only', 'read-write'] });
    const configure = tools.find((t) => t.name === 'configure_package_manager');
    expect(configure?.inputSchema.properties?.tool).toMatchObject({ enum: ['docker', 'npm', 'pip', 'maven', 'curl', 'go', 'helm', 'cargo'] });
    expect(configure?.description).toContain('write: true');
  });

  it('marks every required argument, in the schema and at the start of its description', async () => {
    const { tools } = await mcp.listTools();
    for (const tool of tools) {
      const properties = Object.entries(tool.inputSchema.properties ?? {}) as [string, { description?: string }][];
      const marked = properties.filter(([, p]) => p.description?.startsWith('Required.')).map(([name]) => name);
      expect(tool.inputSchema.required ?? [], tool.name).toEqual(marked);
      for (const [name, p] of properties) expect(p.description, `${tool.name}.${name}`).toBeTruthy();
    }
    expect(tools.find((t) => t.name === 'compare_environments')?.inputSchema.required).toEqual(['a', 'b']);
  });

  it('create_token returns the secret once, acting as the logged-in developer', async () => {
    const created = await callTool(mcp, 'create_token', { name: 'agent reader', permission: 'read-only', expires: '7d' });
    expect(created.isError, created.text).toBe(false);
    const secret = created.data.token as string;
    expect(secret).toMatch(/^flyr_/);
    expect(created.data).toMatchObject({ name: 'agent reader', permission: 'read-only', createdBy: 'dev-agent' });
    const who = await whoami(secret);
    expect(who.status).toBe(200);
    expect(who.body.token?.permission).toBe('read-only');

    const listed = await callTool(mcp, 'list_tokens', { name: 'agent reader' });
    expect(listed.isError).toBe(false);
    expect(listed.text).not.toContain(secret);
    expect((listed.data.tokens as { id: string }[]).map((t) => t.id)).toEqual([created.data.id]);
  });

  it("revoke_token on someone else's token is a tool error with the API's reason", async () => {
    const adminsToken = await adminApi.createToken({ name: 'admin deploy', permission: 'read-write' });
    const refused = await callTool(mcp, 'revoke_token', { token: adminsToken.id });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Developers can only revoke or delete tokens they created');
    expect((await whoami(adminsToken.token)).status).toBe(200);

    const own = await callTool(mcp, 'create_token', { name: 'to revoke', permission: 'read-only' });
    const revoked = await callTool(mcp, 'revoke_token', { token: 'to revoke' });
    expect(revoked.isError, revoked.text).toBe(false);
    expect((await whoami(own.data.token as string)).status).toBe(401);

    // delete_token removes the revoked token; an active one is refused with the API's reason.
    const stillActive = await callTool(mcp, 'delete_token', { token: adminsToken.id });
    expect(stillActive.isError).toBe(true);
    const deleted = await callTool(mcp, 'delete_token', { token: own.data.id as string });
    expect(deleted.isError, deleted.text).toBe(false);
    expect((await adminApi.get(`/api/v1/tokens/${own.data.id as string}`)).status).toBe(404);
  });

  it('rotate_token gives the developer\'s own token a new secret (the old one stops with overlap 0), and refuses another\'s', async () => {
    const own = await callTool(mcp, 'create_token', { name: 'to rotate', permission: 'read-only' });
    const rotated = await callTool(mcp, 'rotate_token', { token: 'to rotate', overlap_seconds: 0 });
    expect(rotated.isError, rotated.text).toBe(false);
    expect(rotated.data).toMatchObject({ id: own.data.id, username: own.data.username });
    expect(rotated.text).toContain('shown only this once');
    expect((await whoami(own.data.token as string)).status).toBe(401);
    expect((await whoami(rotated.data.token as string)).status).toBe(200);
    const adminsToken = await adminApi.createToken({ name: 'admin rotate', permission: 'read-only' });
    const refused = await callTool(mcp, 'rotate_token', { token: adminsToken.id });
    expect(refused.isError).toBe(true);
    const badOverlap = await callTool(mcp, 'rotate_token', { token: 'to rotate', overlap_seconds: -5 });
    expect(badOverlap.isError).toBe(true);
    expect((await whoami(adminsToken.token)).status).toBe(200);
  });

  it('create_release records a release of artifacts that exist, and refuses one naming a missing artifact', async () => {
    const missing = await callTool(mcp, 'create_release', { name: 'shop', version: '1.0.0', artifacts: [`oci:shop/api@sha256:${'0'.repeat(64)}`] });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/validation/);
    const unreadable = await callTool(mcp, 'create_release', { name: 'shop', version: '1.0.0', artifacts: ['shop/api'] });
    expect(unreadable.isError).toBe(true);
    expect(unreadable.text).toContain('cannot read the artifact');
  });

  it('rejects arguments outside the schema, and passes on the API reason for a missing permission', async () => {
    const bad = await callTool(mcp, 'create_token', { name: 'x', permission: 'admin' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/permission/);
    // Without a permission the defaults of the dashboard and the CLI apply: read & write, 30 days.
    const defaults = await callTool(mcp, 'create_token', { name: 'x' });
    expect(defaults.isError, defaults.text).toBe(false);
    expect(defaults.data).toMatchObject({ permission: 'read-write' });
    expect(Date.parse(defaults.data.expiresAt as string) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it('configure_package_manager returns the configuration, and writes it only with write: true', async () => {
    const project = join(developer.root, 'agent-project');
    mkdirSync(project);
    const shown = await callTool(mcp, 'configure_package_manager', { tool: 'npm', projectDir: project });
    expect(shown.isError, shown.text).toBe(false);
    expect(shown.data).toMatchObject({ written: false, path: join(project, '.npmrc') });
    expect(existsSync(join(project, '.npmrc'))).toBe(false);

    const written = await callTool(mcp, 'configure_package_manager', { tool: 'npm', projectDir: project, write: true });
    expect(written.isError, written.text).toBe(false);
    const text = readFileSync(join(project, '.npmrc'), 'utf8');
    expect(text).toBe(written.data.configuration);
    const secret = /:_authToken=(\S+)/.exec(text)?.[1] ?? '';
    expect((await whoami(secret)).body.token?.username).toBe((written.data.token as { username: string }).username);
  });

  it('creates environments and read-only environment tokens, and reports status, comparisons and releases', async () => {
    const env = await callTool(mcp, 'create_environment', { name: 'staging', description: 'pre-production' });
    expect(env.isError, env.text).toBe(false);
    expect(env.data).toMatchObject({ name: 'staging', description: 'pre-production', createdBy: 'dev-agent' });
    expect((await callTool(mcp, 'create_environment', { name: 'production' })).isError).toBe(false);
    const listed = await callTool(mcp, 'list_environments');
    expect((listed.data.environments as { name: string }[]).map((e) => e.name).sort()).toEqual(['production', 'staging']);

    const token = await callTool(mcp, 'create_token', { name: 'staging puller', environment: 'staging' });
    expect(token.isError, token.text).toBe(false);
    expect(token.data).toMatchObject({ permission: 'read-only', environment: 'staging' });
    expect((await whoami(token.data.token as string)).body.token?.permission).toBe('read-only');

    const status = await callTool(mcp, 'environment_status', { name: 'staging' });
    expect(status.isError, status.text).toBe(false);
    expect(status.data).toMatchObject({ environment: 'staging', running: [], drift: [] });
    const compared = await callTool(mcp, 'compare_environments', { a: 'staging', b: 'production' });
    expect(compared.data).toMatchObject({ a: 'staging', b: 'production', repositories: [] });
    expect((await callTool(mcp, 'list_releases')).data).toEqual({ releases: [] });

    // "A deployment token for qa" when qa does not exist: refused unless asked to create it, then one call makes both.
    const missing = await callTool(mcp, 'create_token', { name: 'qa deploy', environment: 'qa' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('qa');
    expect((await callTool(mcp, 'list_environments')).data.environments).toHaveLength(2);
    const both = await callTool(mcp, 'create_token', { name: 'qa deploy', environment: 'qa', createEnvironment: true });
    expect(both.isError, both.text).toBe(false);
    expect(both.data).toMatchObject({ name: 'qa deploy', permission: 'read-only', environment: 'qa', expiresAt: null, environmentCreated: true });
    expect((await whoami(both.data.token as string)).body.token?.permission).toBe('read-only');
    const qa = await adminApi.get<{ createdBy: string; tokens: { name: string }[] }>('/api/v1/environments/qa');
    expect(qa.body).toMatchObject({ createdBy: 'dev-agent', tokens: [{ name: 'qa deploy' }] });
    // The environment exists now: the same call just adds a token to it.
    const again = await callTool(mcp, 'create_token', { name: 'qa second', environment: 'qa', createEnvironment: true });
    expect(again.isError, again.text).toBe(false);
    expect(again.data.environmentCreated).toBeUndefined();

    const unknown = await callTool(mcp, 'environment_status', { name: 'nowhere' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('Environment "nowhere" not found');
  });

  it('tells the agent to log in when there is no stored login', async () => {
    const stranger = new CliUser();
    const client = await connectStdio(stranger);
    try {
      const answer = await callTool(client, 'list_tokens');
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('not logged in: ask the user to run `flyreg login <server url>`');
    } finally {
      await client.close();
      stranger.remove();
    }
  });
});
