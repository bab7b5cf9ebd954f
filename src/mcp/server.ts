import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpBackend } from './backend.js';
import { registerTools } from './tools.js';

/** One MCP server with the registry's tools, acting through the given backend. */
export function createMcpServer(backend: McpBackend, version: string): McpServer {
  const server = new McpServer(
    { name: 'fly-registry', title: 'Fly Registry', version },
    {
      instructions:
        'Fly Registry hosts images and packages (OCI, npm, PyPI, Maven, Go, Helm, Cargo, generic files) behind tokens. Use these tools to create, list and revoke ' +
        'tokens, manage runtime environments and see what runs where, and configure docker, npm or pip. You act with the rights of ' +
        'the logged-in user; refusals come back as tool errors with the reason. Token secrets are shown once: never log or commit them.',
    },
  );
  registerTools(server, backend);
  return server;
}
