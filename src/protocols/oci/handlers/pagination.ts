import { Errors } from '../../../core/errors.js';

/** The most entries one page returns, whatever `n` asks for (the spec lets a registry return fewer). */
export const MAX_PAGE = 1000;
/** Without `n`, a listing is meant to be whole; this bounds it (a `Link` still points past it). */
const UNPAGED_LIMIT = 10_000;

/** `n` and `last` of the tags and catalog listings. */
export function pageOf(query: URLSearchParams): { limit: number; last: string | undefined } {
  const n = query.get('n');
  const last = query.get('last') ?? undefined;
  if (n === null || n === '') return { limit: UNPAGED_LIMIT, last };
  if (!/^\d{1,9}$/.test(n)) throw Errors.validation(`n must be a non-negative integer, not ${JSON.stringify(n.slice(0, 20))}`);
  return { limit: Math.min(Number(n), MAX_PAGE), last };
}

/** The RFC 5988 `Link` to the next page, or undefined when this was the last one. */
export function nextLink(path: string, limit: number, last: string | undefined, more: boolean): string | undefined {
  if (!more || last === undefined) return undefined;
  return `<${path}?n=${limit}&last=${encodeURIComponent(last)}>; rel="next"`;
}
