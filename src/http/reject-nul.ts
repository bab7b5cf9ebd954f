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
  app.addHook('preHandler', async (request) => {
    // Unmatched requests get their plugin's 404, which reads nothing from the database.
    if (request.is404) return;
    const where = nulLocation(request);
    if (where) throw Errors.validation(`The ${where} contains a NUL character`, [{ path: where, message: 'must not contain NUL characters' }]);
  });
}

function nulLocation(request: FastifyRequest): string | null {
  if (/%00/.test(request.url) || request.url.includes(NUL)) return 'URL';
  if (containsNul(request.params, 0) || containsNul(request.query, 0)) return 'URL';
  const body = request.body;
  if (typeof body === 'string') return body.length <= DEFAULT_BODY_LIMIT && (body.includes(NUL) || ESCAPED_NUL.test(body)) ? 'request body' : null;
  return containsNul(body, 0) ? 'request body' : null;
}

function containsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes(NUL) || containsNul(v, depth + 1));
}
