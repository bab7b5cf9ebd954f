import { z } from 'zod';
import { Errors } from '../errors.js';

/** What the Go registry keeps in package_versions.metadata, read back through this schema. */
export const goVersionMetadataSchema = z.object({
  /** The module's h1: hash, computed from the stored zip at publish. */
  h1: z.string(),
  /** The `retract` directives of this version's go.mod (go applies those of the latest version). */
  retract: z.array(z.object({ low: z.string(), high: z.string(), rationale: z.string() })),
  /** Rows stored before publishers had one record (publications) still carry it; it is no longer written nor read. */
  publishedBy: z.string().optional(),
});
export type GoVersionMetadata = z.infer<typeof goVersionMetadataSchema>;

export function readGoVersionMetadata(text: string): GoVersionMetadata {
  const parsed = goVersionMetadataSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw Errors.unavailable('A stored Go module version has malformed metadata');
  return parsed.data;
}

/** The two files each version stores, named within the module's package. */
export const zipFilename = (version: string) => `${version}.zip`;
export const modFilename = (version: string) => `${version}.mod`;
