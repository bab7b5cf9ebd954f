import { Errors } from '../errors.js';

/** Limits that bound a path before any lookup: coordinates and file names are short. */
const MAX_PATH_CHARS = 1024;
const MAX_SEGMENTS = 32;
/** A path segment: no `..`, no hidden files, no separators, spaces or control characters. */
export const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+~-]*$/;
/** A version: the characters of a segment, at most 128 of them. */
export const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.+~-]{0,127}$/;

/**
 * Splits and checks a path below a mount (Maven layout, generic files). `..`, `.`, empty inner segments
 * and anything outside [A-Za-z0-9_.+~-] are refused before any lookup or write.
 */
export function pathSegments(path: string): string[] {
  if (path.length > MAX_PATH_CHARS) throw Errors.validation(`Path is longer than ${MAX_PATH_CHARS} characters`);
  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  if (segments.length > MAX_SEGMENTS) throw Errors.validation(`Path has more than ${MAX_SEGMENTS} segments`);
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw Errors.validation(`Invalid path segment ${JSON.stringify(segment.slice(0, 80))}: use letters, digits and . _ - + ~, not starting with . or -`);
    }
  }
  return segments;
}
