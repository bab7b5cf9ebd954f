import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI_PATH, type CliUser } from './cli.js';

export interface ToolOutcome {
  isError: boolean;
  text: string;
  data: Record<string, unknown>;
}

/** An MCP client from the official SDK, connected over stdio to `flyreg mcp` running as this CLI user. */
export async function connectStdio(user: CliUser): Promise<Client> {
  const client = new Client({ name: 'fly-registry-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, 'mcp'], env: user.env, cwd: user.home, stderr: 'pipe' }));
  return client;
}

/** An MCP client connected to the server's /mcp over Streamable HTTP with the given headers. */
export async function connectHttp(serverUrl: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'fly-registry-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${serverUrl}/mcp`), { requestInit: { headers } }));
  return client;
}

/** Calls a tool and returns its text and structured answer. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return {
    isError: result.isError === true,
    text: content.map((c) => c.text ?? '').join('\n'),
    data: (result.structuredContent ?? {}) as Record<string, unknown>,
  };
}

export const TOOL_NAMES = [
  'create_token',
  'list_tokens',
  'revoke_token',
  'rotate_token',
  'delete_token',
  'create_environment',
  'list_environments',
  'environment_status',
  'compare_environments',
  'list_releases',
  'create_release',
  'configure_package_manager',
];
