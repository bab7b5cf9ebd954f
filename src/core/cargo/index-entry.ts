import { z } from 'zod';
import { Errors } from '../errors.js';

/** The metadata `cargo publish` sends (the fields the index needs; others are kept out). */
const publishDependency = z.object({
  name: z.string(),
  version_req: z.string(),
  features: z.array(z.string()),
  optional: z.boolean(),
  default_features: z.boolean(),
  target: z.string().nullable(),
  kind: z.enum(['normal', 'dev', 'build']),
  registry: z.string().nullable().optional(),
  explicit_name_in_toml: z.string().nullable().optional(),
});

const publishMetadata = z.object({
  name: z.string(),
  vers: z.string(),
  deps: z.array(publishDependency).max(5000),
  features: z.record(z.string(), z.array(z.string())),
  links: z.string().nullable().optional(),
  rust_version: z.string().nullable().optional(),
});
export type PublishMetadata = z.infer<typeof publishMetadata>;

export function parsePublishMetadata(value: unknown): PublishMetadata {
  const parsed = publishMetadata.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw Errors.validation(`Invalid publish metadata: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'malformed'}`);
  }
  return parsed.data;
}

/** One line of the sparse index, less `yanked` (kept beside it, as it changes). */
export const indexEntrySchema = z.object({
  name: z.string(),
  vers: z.string(),
  deps: z.array(
    z.object({
      name: z.string(),
      req: z.string(),
      features: z.array(z.string()),
      optional: z.boolean(),
      default_features: z.boolean(),
      target: z.string().nullable(),
      kind: z.string(),
      registry: z.string().optional(),
      package: z.string().optional(),
    }),
  ),
  cksum: z.string(),
  features: z.record(z.string(), z.array(z.string())),
  features2: z.record(z.string(), z.array(z.string())).optional(),
  links: z.string().nullable(),
  rust_version: z.string().optional(),
  v: z.number().optional(),
});
export type IndexEntry = z.infer<typeof indexEntrySchema>;

/** Builds the index entry from what cargo published, as the registry index format describes it. */
export function indexEntry(meta: PublishMetadata, cksum: string): IndexEntry {
  const features: Record<string, string[]> = {};
  const features2: Record<string, string[]> = {};
  // Features using the newer `dep:` and `?/` syntax go in features2 (index format v2), so older cargos skip them.
  for (const [feature, values] of Object.entries(meta.features)) {
    (values.some((v) => v.startsWith('dep:') || v.includes('?/')) ? features2 : features)[feature] = values;
  }
  const entry: IndexEntry = {
    name: meta.name,
    vers: meta.vers,
    deps: meta.deps.map((d) => ({
      name: d.explicit_name_in_toml ?? d.name,
      req: d.version_req,
      features: d.features,
      optional: d.optional,
      default_features: d.default_features,
      target: d.target,
      kind: d.kind,
      ...(d.registry ? { registry: d.registry } : {}),
      ...(d.explicit_name_in_toml ? { package: d.name } : {}),
    })),
    cksum,
    features,
    links: meta.links ?? null,
  };
  if (Object.keys(features2).length > 0) Object.assign(entry, { features2, v: 2 });
  if (meta.rust_version) entry.rust_version = meta.rust_version;
  return entry;
}
