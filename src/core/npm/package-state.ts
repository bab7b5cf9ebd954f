import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What npm keeps per package beyond versions, files and tags (which live in the shared package model):
 * a revision counter for CouchDB-style `_rev`, deprecation messages (kept apart so each version's manifest
 * stays exactly as published), and a summary of the latest version for search results. Stored as the
 * package's metadata JSON.
 */
const stateSchema = z.object({
  rev: z.number().int().nonnegative().default(0),
  deprecated: z.record(z.string(), z.string()).default({}),
  summary: z
    .object({ version: z.string(), description: z.string().optional(), keywords: z.array(z.string()).optional() })
    .nullable()
    .default(null),
});

export type NpmPackageState = z.output<typeof stateSchema>;

export function readPackageState(metadata: string): NpmPackageState {
  const parsed = stateSchema.safeParse(JSON.parse(metadata || '{}'));
  // Written only by this module; a row that does not parse is treated as a fresh package state.
  return parsed.success ? parsed.data : stateSchema.parse({});
}

export function writePackageState(state: NpmPackageState): string {
  return JSON.stringify(state);
}

/** CouchDB-style revision: `<counter>-<32 hex>`, unique per package and change. */
export function revisionOf(packageId: string, state: NpmPackageState): string {
  return `${state.rev}-${createHash('sha256').update(`${packageId}:${state.rev}`).digest('hex').slice(0, 32)}`;
}
