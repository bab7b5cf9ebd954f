import { z } from 'zod';
import { DIGEST_PATTERN } from '../blob-store.js';
import { isRepositoryName } from '../oci/names.js';
import type { CoreProtocol } from '../protocols.js';
import { displayText } from '../validation.js';

/** A release's name: lowercase, may name an image path ("shop/api"). */
export const releaseNameInput = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?$/, 'must use lowercase letters, digits and inner ".", "_", "-" or "/"');

/** Versions as release tools write them: semver with build metadata, dates, "v1"… without spaces. */
export const versionInput = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+!-]*$/, 'must be letters, digits and ".", "_", "+", "!" or "-", starting with a letter or digit');

const digestInput = z.string().regex(DIGEST_PATTERN, 'must be sha256:<64 lowercase hex> or sha512:<128 lowercase hex>');
const packageNameInput = z.string().min(1, 'must not be empty').max(214, 'must be at most 214 characters').regex(/^[^\s]+$/, 'must not contain spaces');

/** The protocols a release may name, as the protocol registry describes them (core/protocols.ts). */
export type ArtifactProtocols = readonly Pick<CoreProtocol, 'id' | 'artifact'>[];

/** A release artifact of any registered protocol: its `type` is the protocol id, its fields its kind's shape. */
export function releaseArtifactInput(protocols: ArtifactProtocols) {
  const options = protocols.map((p) =>
    p.artifact.shape === 'image'
      ? z.strictObject({
          type: z.literal(p.id),
          repository: z.string().refine(isRepositoryName, 'must be an OCI repository name: lowercase path components joined by "/"'),
          digest: digestInput,
        })
      : z.strictObject({ type: z.literal(p.id), name: packageNameInput, version: versionInput }),
  );
  const shapes = protocols.map((p) => (p.artifact.shape === 'image' ? `{"type":"${p.id}","repository","digest"}` : `{"type":"${p.id}","name","version"}`));
  const said = shapes.length > 1 ? `${shapes.slice(0, -1).join(', ')} or ${shapes.at(-1) ?? ''}` : (shapes[0] ?? '');
  const [first, ...rest] = options;
  if (!first) throw new Error('a release needs at least one protocol to name artifacts of');
  return z.discriminatedUnion('type', [first, ...rest], { error: `must be ${said}` });
}

export const releaseSourceInput = z.strictObject({
  commit: displayText(100).optional(),
  branch: displayText(255).optional(),
  /** A pull/merge request number or reference. */
  pr: z
    .union([z.number().int().positive(), displayText(100)], { error: 'must be a number or a short text' })
    .transform(String)
    .optional(),
  author: displayText(200).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional(),
});

/** The body of `POST /api/v1/releases`, for the protocols the registry serves. */
export function createReleaseInput(protocols: ArtifactProtocols) {
  return z.strictObject({
    name: releaseNameInput,
    version: versionInput,
    artifacts: z.array(releaseArtifactInput(protocols)).min(1, 'must name at least one artifact').max(200, 'must name at most 200 artifacts'),
    source: releaseSourceInput.optional(),
    notes: z
      .string()
      .max(20_000, 'must be at most 20000 characters')
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u, 'must not contain control characters other than line breaks and tabs')
      .nullable()
      .optional(),
  });
}
export type CreateReleaseInput = z.output<ReturnType<typeof createReleaseInput>>;

export const releaseSearchQuery = z.strictObject({
  name: z.string().max(200).optional(),
  version: z.string().max(128).optional(),
  digest: z.string().max(200).optional(),
  /** An OCI repository or package name the release contains. */
  artifact: z.string().max(255).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
});
