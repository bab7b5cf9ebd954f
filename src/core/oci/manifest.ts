import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DIGEST_PATTERN, type Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { DOCKER_SCHEMA1_TYPES, isForeignLayer, isIndexType, MANIFEST_MEDIA_TYPES, MediaType, type ManifestMediaType } from './media-types.js';

/** Manifests are small JSON documents; the spec asks registries to accept at least 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const mediaTypeText = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/, 'must be a media type');

const descriptor = z.looseObject({
  mediaType: mediaTypeText,
  digest: z.string().regex(DIGEST_PATTERN, 'must be sha256:<64 hex> or sha512:<128 hex>'),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  artifactType: mediaTypeText.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  urls: z.array(z.string()).optional(),
});
type Descriptor = z.infer<typeof descriptor>;

const common = {
  schemaVersion: z.literal(2, { error: 'schemaVersion must be 2' }),
  mediaType: z.string().optional(),
  artifactType: mediaTypeText.optional(),
  subject: descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
};
const imageManifest = z.looseObject({ ...common, config: descriptor, layers: z.array(descriptor) });
const imageIndex = z.looseObject({ ...common, manifests: z.array(descriptor) });

export interface BlobReference {
  digest: Digest;
  size: number;
}

/** What the registry needs to know about a manifest, extracted from its exact bytes. */
export interface ParsedManifest {
  mediaType: ManifestMediaType;
  /** For referrers: the manifest's artifactType, else (image manifests) its config's media type. */
  artifactType: string | null;
  subject: Digest | null;
  /** Config and layers the repository must hold. */
  blobs: BlobReference[];
  /** Child manifests (indexes) the repository must hold. */
  manifests: BlobReference[];
  annotations: Record<string, string> | null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Validates a manifest as pushed and extracts its references. `contentType` is the request's media type
 * (parameters stripped), or undefined when the client sent none.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  if (contentType !== undefined && DOCKER_SCHEMA1_TYPES.has(contentType)) {
    throw Errors.unsupported('Docker schema 1 manifests are not supported: push schema 2 or OCI manifests');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw Errors.manifestInvalid('The manifest is not valid UTF-8 JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw Errors.manifestInvalid('The manifest must be a JSON object');
  const declared = (json as { mediaType?: unknown }).mediaType;
  if (declared !== undefined && typeof declared !== 'string') throw Errors.manifestInvalid('mediaType must be a string');
  const mediaType = resolveMediaType(contentType, declared);

  if (isIndexType(mediaType)) {
    const parsed = imageIndex.safeParse(json);
    if (!parsed.success) throw Errors.manifestInvalid(`Invalid image index: ${describeIssues(parsed.error)}`);
    const index = parsed.data;
    if ('config' in index || 'layers' in index) throw Errors.manifestInvalid('An image index has "manifests", not "config" or "layers"');
    return {
      mediaType,
      artifactType: index.artifactType ?? null,
      subject: (index.subject?.digest as Digest | undefined) ?? null,
      blobs: [],
      manifests: index.manifests.map(ref),
      annotations: index.annotations ?? null,
    };
  }
  const parsed = imageManifest.safeParse(json);
  if (!parsed.success) throw Errors.manifestInvalid(`Invalid image manifest: ${describeIssues(parsed.error)}`);
  const manifest = parsed.data;
  if ('manifests' in manifest) throw Errors.manifestInvalid('An image manifest has "config" and "layers", not "manifests"');
  if (mediaType === MediaType.dockerManifest && manifest.artifactType !== undefined) {
    throw Errors.manifestInvalid('Docker manifests have no artifactType: push an OCI manifest');
  }
  const layers = manifest.layers.filter((layer) => !(isForeignLayer(layer.mediaType) && (layer.urls?.length ?? 0) > 0));
  return {
    mediaType,
    artifactType: manifest.artifactType ?? manifest.config.mediaType,
    subject: (manifest.subject?.digest as Digest | undefined) ?? null,
    blobs: [manifest.config, ...layers].map(ref),
    manifests: [],
    annotations: manifest.annotations ?? null,
  };
}

function ref(d: Descriptor): BlobReference {
  return { digest: d.digest as Digest, size: d.size };
}

function resolveMediaType(contentType: string | undefined, declared: string | undefined): ManifestMediaType {
  if (declared !== undefined && !MANIFEST_MEDIA_TYPES.has(declared)) {
    if (DOCKER_SCHEMA1_TYPES.has(declared)) throw Errors.unsupported('Docker schema 1 manifests are not supported: push schema 2 or OCI manifests');
    throw Errors.manifestInvalid(`Unsupported manifest mediaType ${JSON.stringify(declared)}: expected one of ${[...MANIFEST_MEDIA_TYPES].join(', ')}`);
  }
  if (contentType === undefined) {
    if (declared === undefined) throw Errors.manifestInvalid('Send the manifest media type as Content-Type (or in its mediaType field)');
    return declared as ManifestMediaType;
  }
  if (!MANIFEST_MEDIA_TYPES.has(contentType)) {
    throw Errors.manifestInvalid(`Content-Type ${JSON.stringify(contentType)} is not a manifest media type: expected one of ${[...MANIFEST_MEDIA_TYPES].join(', ')}`);
  }
  if (declared !== undefined && declared !== contentType) {
    throw Errors.manifestInvalid(`Content-Type ${contentType} does not match the manifest's mediaType ${declared}`);
  }
  return contentType as ManifestMediaType;
}

/** The digest of exact bytes, with the algorithm of `like` (sha256 unless a sha512 reference was given). */
export function digestOf(bytes: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function algorithmOf(digest: Digest): 'sha256' | 'sha512' {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}
