import { z } from 'zod';
import { Errors } from '../../errors.js';
import type { CatalogCursor } from './model.js';

/** GET /packages query: search text, protocol filter, page size and the keyset cursor (`<protocol>:<name>`). */
export const catalogQuery = z.strictObject({
  q: z.string().max(200).optional(),
  protocol: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(600).optional(),
});

export const catalogActionInput = z.strictObject({
  /** The version (npm, PyPI), or a tag or digest (OCI). */
  version: z.string().min(1).max(300),
  /** The deprecation message or yank reason. */
  message: z.string().max(1000).optional(),
});

export const cursorText = (cursor: CatalogCursor): string => `${cursor.protocol}:${cursor.name}`;

export function parseCursor(text: string | undefined): CatalogCursor | undefined {
  if (text === undefined || text === '') return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0) throw Errors.validation('after must be the `next` value of the previous page', [{ path: 'after', message: 'malformed cursor' }]);
  return { protocol: text.slice(0, colon), name: text.slice(colon + 1) };
}
