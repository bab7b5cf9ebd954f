import { z } from 'zod';
import { Errors, type FieldIssue } from './errors.js';

/** Printable text without control characters, trimmed, of bounded length. */
export const displayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/u, 'must not contain control characters');

/** Lowercase letters, digits and inner hyphens: user names, token usernames, environment names. */
export const slugName = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must use lowercase letters, digits and inner hyphens only');

export const email = z.email('must be a valid email address').max(254);

export const password = z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters');

/** Parse untrusted input with a schema; on failure throw a validation error that names every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = 'Request body'): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw Errors.validation(`${what} is invalid: ${summary}`, issues);
}
