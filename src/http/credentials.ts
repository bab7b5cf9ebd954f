// For request.cookies: the cookie plugin's type augmentation, wherever this file is compiled from.
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Credential, RequestContext } from '../core/auth/principal.js';
import { csrfMatches } from '../core/users/session-service.js';

export const SESSION_COOKIE = 'fly_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The one credential reader, for every protocol and the management API: an Authorization header (Basic or
 * Bearer) first, then the session cookie, which says whether the request also carried the CSRF token that
 * matches it. Returns null when there is none. What a cookie is worth is each surface's one rule: the
 * protocols' kit ignores a cookie without its CSRF token (protocols/kit/guard.ts); the management API
 * refuses cookie-authenticated writes without it (api/plugin.ts).
 */
export function credentialOf(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (header) return parseAuthorization(header);
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const csrf = request.headers[CSRF_HEADER];
  return { kind: 'session-cookie', secret: cookie, csrfChecked: csrfMatches(cookie, typeof csrf === 'string' ? csrf : undefined) };
}

export function parseAuthorization(header: string): Credential | null {
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { kind: 'bearer', secret: value } : null;
  if (scheme === 'basic') {
    const decoded = basicDecoded(value);
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return null;
}

/**
 * A Basic credential's `user:password` text. Clients send ASCII (token usernames and secrets are), which
 * `atob` decodes at a third of Buffer's cost; anything else (UTF-8, base64url letters, stray characters,
 * which atob refuses) is decoded by Buffer as before, so every header reads as it always did.
 */
function basicDecoded(value: string): string {
  try {
    const text = atob(value);
    if (!/[\x80-\xff]/.test(text)) return text;
  } catch {
    // Not plain base64: Buffer's decoder is the lenient one.
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

export function requestContext(request: FastifyRequest): RequestContext {
  return contextOf(request.ip, request.headers['user-agent']);
}

/** A request's context from its client address and User-Agent header (kept to 256 characters). */
export function contextOf(ip: string | undefined, agent: string | undefined): RequestContext {
  return { ip: ip ?? null, userAgent: agent ? agent.slice(0, 256) : null };
}
