import { z } from 'zod';
import { Errors } from '../errors.js';
import { parseInput } from '../validation.js';
import { isValidProjectName, MAX_PROJECT_NAME_LENGTH } from './names.js';
import { MAX_VERSION_LENGTH, normalizeVersion } from './versions.js';

/** Multipart form fields as received: every field may repeat (classifiers, requires_dist…). */
export type FormFields = Record<string, string[]>;

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hex digits`).transform((s) => s.toLowerCase());
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * The legacy upload form (what twine, uv and poetry send), as far as we use it. Other fields twine sends
 * (summary, classifiers, …) are not trusted: release metadata comes from the file's own core metadata.
 */
const uploadFormSchema = z.object({
  ':action': z.literal('file_upload', { error: 'only ":action=file_upload" is supported' }),
  protocol_version: optional(z.literal('1', { error: 'must be 1' })),
  name: z
    .string()
    .max(MAX_PROJECT_NAME_LENGTH)
    .refine(isValidProjectName, 'must be a valid project name (letters, digits, and . _ - inside)'),
  version: z
    .string()
    .max(MAX_VERSION_LENGTH)
    .refine((v) => normalizeVersion(v) !== null, 'must be a PEP 440 version'),
  filetype: optional(z.enum(['bdist_wheel', 'sdist'], { error: 'must be bdist_wheel or sdist' })),
  pyversion: optional(z.string().max(64)),
  sha256_digest: hex(64),
  md5_digest: optional(hex(32)),
  requires_python: optional(z.string().max(256)),
});

export type UploadForm = z.output<typeof uploadFormSchema>;

/** Validates the single-valued fields we rely on; a repeated one is an error. */
export function parseUploadForm(fields: FormFields): UploadForm {
  const single: Record<string, string> = {};
  for (const key of Object.keys(uploadFormSchema.shape)) {
    const values = fields[key];
    if (!values) continue;
    if (values.length > 1) throw Errors.validation(`Upload form field ${key} was sent more than once`);
    single[key] = values[0] as string;
  }
  return parseInput(uploadFormSchema, single, 'Upload form');
}
