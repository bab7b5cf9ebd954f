import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ClientEnvironment } from '../client/client-environment.js';
import { CredentialsStore } from '../client/credentials-store.js';
import { HttpTransport } from '../client/http-transport.js';
import { RegistryClient } from '../client/registry-client.js';
import type { McpBackend } from './backend.js';
import { createMcpServer } from './server.js';

/**
 * The backend of `flyreg mcp`: the CLI's stored login, read at every call so that logging in (or out)
 * while the agent runs takes effect without restarting it; configuration may be written to this machine.
 */
export function localBackend(env: ClientEnvironment, userAgent: string): McpBackend {
  const credentials = new CredentialsStore(env.configDir);
  const clientFor = (url: string, bearer: string) => new RegistryClient(new HttpTransport(new URL(url), bearer, userAgent));
  return {
    client() {
      const login = credentials.read();
      if (!login) throw new Error('not logged in: ask the user to run `flyreg login <server url>` in a terminal, then retry');
      return clientFor(login.url, login.sessionToken);
    },
    verifyToken(secret) {
      return clientFor(credentials.require().url, secret).whoami();
    },
    target: { machineName: env.hostname, files: env },
  };
}

/** Serves the tools over stdin/stdout until the client closes the stream. */
export async function serveStdio(env: ClientEnvironment, version: string): Promise<void> {
  const server = createMcpServer(localBackend(env, `flyreg-mcp/${version}`), version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  // The SDK's stdio transport does not watch for the end of input: an agent closing the pipe ends the session.
  process.stdin.once('end', () => void transport.close());
  await closed;
}
