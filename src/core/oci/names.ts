import { DIGEST_PATTERN, type Digest } from '../blob-store.js';
import { Errors } from '../errors.js';

/** The OCI distribution spec's repository name grammar: path components joined by `/`. */
const NAME_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Any `algorithm:encoded` string, to tell a digest reference (maybe unsupported) from a tag. */
const DIGEST_SHAPE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Docker clients cap a full reference at 255 characters; the name is most of it. */
export const MAX_NAME_LENGTH = 255;

export function parseRepositoryName(name: string): string {
  if (name.length === 0) throw Errors.nameInvalid(name, 'it is empty');
  if (name.length > MAX_NAME_LENGTH) throw Errors.nameInvalid(name.slice(0, 40) + '…', `longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_PATTERN.test(name)) {
    throw Errors.nameInvalid(name, 'use lowercase path components of [a-z0-9] separated by ".", "_", "__" or "-", joined by "/"');
  }
  return name;
}

export function isRepositoryName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

export function isTag(value: string): boolean {
  return TAG_PATTERN.test(value);
}

export function parseTag(tag: string): string {
  if (!isTag(tag)) throw Errors.tagInvalid(tag);
  return tag;
}

/** A supported digest (`sha256:<64 hex>` or `sha512:<128 hex>`), or DIGEST_INVALID saying what is wrong. */
export function parseDigest(value: string | undefined, what = 'digest'): Digest {
  if (value === undefined || value === '') throw Errors.digestInvalid(`Missing ${what}: expected sha256:<64 hex> or sha512:<128 hex>`);
  if (DIGEST_PATTERN.test(value)) return value as Digest;
  const algorithm = value.includes(':') ? value.slice(0, value.indexOf(':')) : '';
  if (algorithm !== '' && algorithm !== 'sha256' && algorithm !== 'sha512' && DIGEST_SHAPE.test(value)) {
    throw Errors.digestInvalid(`Unsupported digest algorithm ${JSON.stringify(algorithm)}: use sha256 or sha512`);
  }
  throw Errors.digestInvalid(`Invalid ${what} ${JSON.stringify(value.slice(0, 200))}: expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`);
}

/** A manifest reference is a tag or a digest. */
export type Reference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: Digest };

export function parseReference(value: string): Reference {
  if (value.includes(':')) return { kind: 'digest', digest: parseDigest(value, 'manifest digest') };
  return { kind: 'tag', tag: parseTag(value) };
}

export function referenceText(reference: Reference): string {
  return reference.kind === 'tag' ? reference.tag : reference.digest;
}
