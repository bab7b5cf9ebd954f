import type { FastifyInstance } from 'fastify';
import { apiErrorFrom, decodeBody, type ApiTransport } from '../client/transport.js';

/**
 * The management API called in-process (Fastify's inject: no socket, same routes, same authentication
 * and authorization), as the session behind an /mcp request. The caller's address and user agent are
 * passed on so audit entries name the real client.
 */
export class InjectTransport implements ApiTransport {
  constructor(
    private readonly app: FastifyInstance,
    private readonly bearer: string,
    private readonly caller: { ip: string; userAgent: string | undefined },
  ) {}

  async request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.bearer}`, accept: 'application/json' };
    if (this.caller.userAgent) headers['user-agent'] = this.caller.userAgent;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.app.inject({
      method,
      url: path,
      headers,
      remoteAddress: this.caller.ip,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) throw apiErrorFrom(response.statusCode, response.body);
    return decodeBody(response.body);
  }
}
