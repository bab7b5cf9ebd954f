import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors } from '../core/errors.js';
import { DEFAULT_BODY_LIMIT } from './body-limits.js';

const NUL = '\u0000';
/** A NUL written as a JSON escape inside a text body that core parses later (npm's bodies reach it as text). */
const ESCAPED_NUL = /\\u0000/i;
const MAX_DEPTH = 32;

/**
 * NUL is never valid in a name, a filter or a credential, and PostgreSQL cannot store it in text (SQLite
 * can): refusing it at the edge makes both engines answer the same 400 in each protocol's own format,
 * before any query runs. Path and query parameters (decoded), the raw path (for the registry's own route
 * matching) and JSON bodies are checked; large text bodies (npm publishes) are left to core's validation,
 * which stores them as exact bytes.
 */
export function rejectNulBytes(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and a promise per request costs more than the check.
  app.addHook('preHandler', (request, _reply, done) => {
    // Unmatched requests get their plugin's 404, which reads nothing from the database.
    const where = request.is404 ? null : nulLocation(request);
    if (!where) return done();
    const message = 'must not contain control characters';
    done(Errors.validation(`${where.what} is invalid: ${where.path}: ${message} (NUL)`, [{ path: where.path, message }]));
  });
}

interface NulLocation {
  what: 'URL' | 'Request body';
  path: string;
}

function nulLocation(request: FastifyRequest): NulLocation | null {
  if (request.url.includes('%00') || request.url.includes(NUL)) return { what: 'URL', path: '(path)' };
  // Parameters and the query are decoded from the URL: without a %00 there, only a body can hold a NUL.
  if (request.body === undefined || request.body === null) return null;
  const inParams = nulPath(request.params, '', 0) ?? nulPath(request.query, '', 0);
  if (inParams !== null) return { what: 'URL', path: inParams || '(path)' };
  const body = request.body;
  if (typeof body === 'string') {
    return body.length <= DEFAULT_BODY_LIMIT && (body.includes(NUL) || ESCAPED_NUL.test(body)) ? { what: 'Request body', path: '(root)' } : null;
  }
  const inBody = nulPath(body, '', 0);
  return inBody === null ? null : { what: 'Request body', path: inBody || '(root)' };
}

/** The dotted path of the first string holding a NUL, '' for the value itself, null when there is none. */
function nulPath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || !isPlainData(value)) return null;
  for (const [key, v] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) return here;
    const found = nulPath(v, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Parsed JSON, params and query strings are plain objects (or null-prototype ones) and arrays. Anything else
 * (a streamed body a protocol reads itself, a Buffer) is not walked: its fields are not client text, and a
 * stream's object graph (socket, server…) is far too large to walk on every request.
 */
function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
