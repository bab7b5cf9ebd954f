import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryClient } from '../client/registry-client.js';
import { httpStatusOf } from '../api/errors.js';
import type { Core } from '../core/core.js';
import { isAppError } from '../core/errors.js';
import { credentialOf, requestContext } from '../http/credentials.js';
import type { McpBackend } from './backend.js';
import { InjectTransport } from './inject-transport.js';

export interface McpPluginOptions {
  core: Core;
  version: string;
}

/** JSON-RPC's "server error" range: what the MCP SDK's own examples answer transport-level refusals with. */
const UNAUTHORIZED = -32001;

/** The MCP SDK and our tools (about 25 MB of a process's memory), loaded with the first MCP request, not at startup. */
let sdk: Promise<[typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'), typeof import('./server.js')]> | undefined;
const loadSdk = () => (sdk ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./server.js')]));

/**
 * Streamable HTTP at /mcp, stateless (a fresh MCP server per request, so any replica can answer any
 * request). Authenticated by a user session, Bearer or cookie (cookies also need the CSRF header, as
 * for every cookie-authenticated write), through core's one Authenticator; registry tokens are refused:
 * they are for artifacts, not for managing the registry.
 */
export async function mcpPlugin(app: FastifyInstance, { core, version }: McpPluginOptions): Promise<void> {
  app.post('/mcp', async (request, reply) => {
    const session = await sessionOf(core, request);
    if ('refusal' in session) return refuse(reply, session.status, session.refusal);

    // The same bounded user agent every API request records (requestContext keeps at most 256 characters).
    const { userAgent } = requestContext(request);
    const caller = { ip: request.ip, userAgent: userAgent ?? undefined };
    const backend: McpBackend = {
      client: () => new RegistryClient(new InjectTransport(app, session.secret, caller)),
      verifyToken: (secret) => new RegistryClient(new InjectTransport(app, secret, caller)).whoami(),
      // A remote agent's files are not on this server: configure_package_manager returns fragments only.
      target: { machineName: 'agent', files: null },
    };
    const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadSdk();
    const server = createMcpServer(backend, version);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      // The reply is hijacked: Fastify's error handler cannot answer for us any more.
      request.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }));
      }
    }
  });

  // Stateless: there is no server-initiated stream to open (GET) nor a session to end (DELETE).
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(405)
      .header('allow', 'POST')
      .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless, use POST' }, id: null });
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
}

type SessionCheck = { secret: string } | { status: number; refusal: string };

async function sessionOf(core: Core, request: FastifyRequest): Promise<SessionCheck> {
  const credential = credentialOf(request);
  if (!credential || credential.kind === 'basic') {
    return { status: 401, refusal: 'Log in and send the session token as Authorization: Bearer (flyreg login, then flyreg mcp runs locally)' };
  }
  try {
    const principal = await core.authenticator.authenticate(credential, requestContext(request));
    if (principal.kind !== 'user') {
      return { status: 403, refusal: 'Registry tokens are for artifacts: the MCP endpoint needs a user session (POST /api/v1/auth/login)' };
    }
    if (credential.kind === 'session-cookie' && !credential.csrfChecked) {
      return { status: 403, refusal: 'Missing or wrong X-CSRF-Token header: cookie-authenticated MCP requests need the CSRF token from login' };
    }
    return { secret: credential.secret };
  } catch (error) {
    if (isAppError(error)) return { status: httpStatusOf(error.code), refusal: error.message };
    throw error;
  }
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).send({ jsonrpc: '2.0', error: { code: UNAUTHORIZED, message }, id: null });
}
