import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createUser, login } from '../helpers/api.js';
import { callTool, connectHttp, TOOL_NAMES } from '../helpers/mcp.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let adminApi: ApiClient;
let developerApi: ApiClient;
let mcp: Client;

beforeAll(async () => {
  // Trusting X-Forwarded-For lets a test tell the caller's address from the in-process call's.
  server = await startServer({ env: { FLY_TRUST_PROXY: 'true' } });
  adminApi = await login(server);
  developerApi = await createUser(adminApi, 'dev-remote', 'developer');
  mcp = await connectHttp(server.url, { authorization: `Bearer ${developerApi.bearer}` });
});
afterAll(async () => {
  await mcp?.close();
  await server?.stop();
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

async function postMcp(headers: Record<string, string>) {
  const res = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(initialize),
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string }; result?: unknown } };
}

describe('/mcp (Streamable HTTP, user session)', () => {
  it('serves the same tools, acting as the session user', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());

    const created = await callTool(mcp, 'create_token', { name: 'remote reader', permission: 'read-only' });
    expect(created.isError, created.text).toBe(false);
    expect(created.data).toMatchObject({ createdBy: 'dev-remote', permission: 'read-only' });
    const who = await new ApiClient(server, created.data.token as string).get<{ token: { permission: string } }>('/api/v1/whoami');
    expect(who.body.token.permission).toBe('read-only');
  });

  it("refuses a developer revoking someone else's token, with the reason", async () => {
    const adminsToken = await adminApi.createToken({ name: 'admin only', permission: 'read-only' });
    const refused = await callTool(mcp, 'revoke_token', { token: adminsToken.id });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Developers can only revoke or delete tokens they created');
    expect((await new ApiClient(server, adminsToken.token).get('/api/v1/whoami')).status).toBe(200);
  });

  it("records the caller's address in the audit log, not the in-process call's", async () => {
    const proxied = await connectHttp(server.url, { authorization: `Bearer ${developerApi.bearer}`, 'x-forwarded-for': '203.0.113.7' });
    try {
      expect((await callTool(proxied, 'create_token', { name: 'audited', permission: 'read-only' })).isError).toBe(false);
    } finally {
      await proxied.close();
    }
    const audit = await adminApi.get<{ events: { action: string; actor: string; target: { name?: string }; ip: string | null }[] }>('/api/v1/audit');
    const entry = audit.body.events.find((e) => e.action === 'token.created' && e.target.name === 'audited');
    expect(entry).toMatchObject({ actor: 'dev-remote', ip: '203.0.113.7' });
  });

  it('returns package-manager configuration but never writes files on the server', async () => {
    const shown = await callTool(mcp, 'configure_package_manager', { tool: 'pip' });
    expect(shown.isError, shown.text).toBe(false);
    expect(shown.data).toMatchObject({ path: null, written: false, token: { name: 'agent-pip', permission: 'read-write' } });
    expect(shown.data.configuration).toMatch(/^\[global\]\nindex-url = http:\/\/agent-pip-[a-z0-9]+:flyr_\w+@/);

    const refused = await callTool(mcp, 'configure_package_manager', { tool: 'npm', write: true });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('write: true works only with the local MCP server');
  });

  it("bounds the caller's user agent where it is recorded, and trims it in list answers", async () => {
    const longAgent = `agent-client/9.9 ${'platform-detail '.repeat(80)}`;
    const agent = await connectHttp(server.url, { authorization: `Bearer ${developerApi.bearer}`, 'user-agent': longAgent });
    const made = await callTool(agent, 'create_token', { name: 'ua probe', permission: 'read-only' });
    expect(made.isError, made.text).toBe(false);
    try {
      // Using the token through the agent's tool records the agent's user agent as the token's last client.
      const used = await callTool(agent, 'configure_package_manager', { tool: 'pip', token: made.data.token as string });
      expect(used.isError, used.text).toBe(false);
      let recorded: string | null = null;
      for (let i = 0; i < 50 && recorded === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        recorded = (await adminApi.get<{ lastUsedClient: string | null }>(`/api/v1/tokens/${made.data.id as string}`)).body.lastUsedClient;
      }
      expect(recorded).toBe(longAgent.slice(0, 256));
      const listed = await callTool(agent, 'list_tokens', { name: 'ua probe' });
      const [entry] = listed.data.tokens as { lastUsedClient: string }[];
      expect(entry?.lastUsedClient).toBe('agent-client/9.9 platform-detail…');
      expect(listed.text).not.toContain('platform-detail platform-detail');
    } finally {
      await agent.close();
    }
  });

  it('refuses registry tokens, missing and bad credentials, and cookies without the CSRF header', async () => {
    const token = await adminApi.createToken({ name: 'artifact token', permission: 'read-write' });
    const withToken = await postMcp({ authorization: `Bearer ${token.token}` });
    expect(withToken.status).toBe(403);
    expect(withToken.body.error?.message).toContain('Registry tokens are for artifacts');

    const anonymous = await postMcp({});
    expect(anonymous.status).toBe(401);
    const stale = await postMcp({ authorization: 'Bearer flys_notarealsession' });
    expect(stale.status).toBe(401);
    expect(stale.body.error?.message).toBe('Session expired or logged out: log in again');

    const loginRes = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: server.admin.username, password: server.admin.password }),
    });
    const { sessionToken, csrfToken } = (await loginRes.json()) as { sessionToken: string; csrfToken: string };
    const cookie = `fly_session=${sessionToken}`;
    const noCsrf = await postMcp({ cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error?.message).toContain('X-CSRF-Token');
    const withCsrf = await postMcp({ cookie, 'x-csrf-token': csrfToken });
    expect(withCsrf.status).toBe(200);
    expect(withCsrf.body.result).toMatchObject({ serverInfo: { name: 'fly-registry' } });
  });
});
