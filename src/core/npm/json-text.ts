import { Errors } from '../errors.js';

/** Parses a request body that must be JSON, or throws a validation error naming what was sent. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Errors.validation(`${what} is not valid JSON`, [{ path: '(root)', message: 'not valid JSON' }]);
  }
}
