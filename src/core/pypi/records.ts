import { z } from 'zod';
import type { CoreMetadata } from './core-metadata.js';

/**
 * What PyPI keeps in the shared package model's JSON columns. Written by this module only, and read back
 * through these schemas so a malformed row fails loudly instead of rendering a broken index.
 */

/** packages.metadata: a revision that changes on every write, so rendered pages can be cached safely. */
export const packageMetadataSchema = z.object({ revision: z.string() });
export type PypiPackageMetadata = z.infer<typeof packageMetadataSchema>;

/** The release fields the JSON API shows as `info`, taken from the first file's core metadata. */
export const releaseInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  descriptionContentType: z.string().nullable(),
  keywords: z.string().nullable(),
  homePage: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  author: z.string().nullable(),
  authorEmail: z.string().nullable(),
  maintainer: z.string().nullable(),
  maintainerEmail: z.string().nullable(),
  license: z.string().nullable(),
  classifiers: z.array(z.string()),
  platforms: z.array(z.string()),
  requiresDist: z.array(z.string()),
  requiresPython: z.string().nullable(),
  providesExtra: z.array(z.string()),
  projectUrls: z.record(z.string(), z.string()),
});
export type ReleaseInfo = z.infer<typeof releaseInfoSchema>;

/** package_versions.metadata: the release info, and whether the release is yanked (PEP 592). */
export const versionMetadataSchema = z.object({
  info: releaseInfoSchema,
  yanked: z.object({ reason: z.string(), at: z.string(), by: z.string() }).nullable(),
});
export type PypiVersionMetadata = z.infer<typeof versionMetadataSchema>;

/** package_files.metadata: hashes, the Python constraint and where the extracted core metadata blob is. */
export const fileMetadataSchema = z.object({
  packagetype: z.enum(['bdist_wheel', 'sdist']),
  pythonVersion: z.string(),
  sha256: z.string(),
  md5: z.string(),
  requiresPython: z.string().nullable(),
  /** The METADATA extracted from a wheel (PEP 658), stored as its own blob; null for sdists. */
  coreMetadata: z.object({ sha256: z.string(), size: z.number() }).nullable(),
  uploadedBy: z.string(),
});
export type PypiFileMetadata = z.infer<typeof fileMetadataSchema>;

export function releaseInfoFrom(meta: CoreMetadata): ReleaseInfo {
  const { metadataVersion: _unused, ...info } = meta;
  return info;
}

/** Parses a JSON column this module wrote; a row that does not fit is a storage defect, not user input. */
export function readRecord<T extends z.ZodType>(schema: T, text: string, what: string): z.output<T> {
  const result = schema.safeParse(JSON.parse(text));
  if (!result.success) throw new Error(`stored PyPI ${what} metadata is malformed: ${result.error.message}`);
  return result.data;
}
