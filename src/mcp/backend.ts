import type { Whoami } from '../api/answers.js';
import type { RegistryClient } from '../client/registry-client.js';
import type { SetupTarget } from '../client/setup-package-manager.js';

/**
 * What the MCP tools act through, whichever transport carries them: over stdio, the CLI's stored login
 * and HTTP; over the server's /mcp, the caller's session and an in-process call of the same API. Either
 * way the API decides what the user may do and words the refusals.
 */
export interface McpBackend {
  /** A client acting as the user behind this MCP session (throws, e.g. "not logged in", when there is none). */
  client(): RegistryClient;
  /** Checks a registry token the agent passes in and tells whose it is. */
  verifyToken(secret: string): Promise<Whoami>;
  /** Where package-manager configuration goes: this machine's files over stdio, none (fragments only) over HTTP. */
  target: SetupTarget;
}
