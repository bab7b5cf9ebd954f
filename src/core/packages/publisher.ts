import { z } from 'zod';

/**
 * Who published a version or manifest: the user, and the token they used (null for a user session).
 * Read from the version's latest publication (core/releases/publications.ts) as JSON text; shown on package
 * pages and as npm's `_npmUser`/`maintainers`.
 */
export interface Publisher {
  username: string;
  /** The user's email at publish time (npm shows it in `npm owner ls`); null when unknown. */
  email: string | null;
  /** The token's name when a registry token published it. */
  tokenName: string | null;
}

const publisherSchema = z.object({ username: z.string(), email: z.string().nullable().default(null), tokenName: z.string().nullable().default(null) });

export function writePublisher(publisher: Publisher): string {
  return JSON.stringify(publisher);
}

/** Null for rows stored before publishers were recorded (or anything that does not parse). */
export function readPublisher(text: string | null): Publisher | null {
  if (text === null) return null;
  try {
    const parsed = publisherSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
