import type { FastifyRequest } from 'fastify';
import type { Credential, RequestContext } from '../core/auth/principal.js';

export const SESSION_COOKIE = 'fly_session';

/**
 * Reads the credential a request carries, the same way for every protocol: an Authorization header
 * (Basic or Bearer) first, then the session cookie. Returns null when there is none.
 */
export function credentialOf(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (header) return parseAuthorization(header);
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { kind: 'session-cookie', secret: cookie } : null;
}

export function parseAuthorization(header: string): Credential | null {
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { kind: 'bearer', secret: value } : null;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return null;
}

export function requestContext(request: FastifyRequest): RequestContext {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: agent ? agent.slice(0, 256) : null };
}
