import { Errors } from '../errors.js';

/**
 * npm's naming rules for new packages (as the public registry applies them): at most 214 characters,
 * lowercase, URL-safe, not starting with "." or "_", optionally `@scope/name`. Every name and tarball
 * filename that reaches a lookup passes through here, which also rules out path traversal ("..", "/").
 */
const NAME_PART = '[a-z0-9-][a-z0-9._-]*';
const NAME_PATTERN = new RegExp(`^(?:@(${NAME_PART})/)?(${NAME_PART})$`);
const RESERVED = new Set(['node_modules', 'favicon.ico']);
export const MAX_NAME_LENGTH = 214;

/** semver 2.0.0's own grammar (npm publishes only clean versions). */
const VERSION_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A dist-tag must not read as a version or range (npm resolves `pkg@<tag>` and `pkg@<range>` alike). */
const TAG_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;

export function isValidPackageName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  const match = NAME_PATTERN.exec(name);
  return match !== null && !RESERVED.has(name) && match[2] !== '.' && match[2] !== '..';
}

/** Returns the name or throws a validation error saying which rule it breaks. */
export function checkPackageName(name: string): string {
  if (isValidPackageName(name)) return name;
  throw Errors.validation(
    `Invalid package name ${JSON.stringify(name.slice(0, 240))}: npm names are at most ${MAX_NAME_LENGTH} characters of ` +
      'lowercase letters, digits, "-", "." and "_" (not first), optionally as @scope/name',
    [{ path: 'name', message: 'invalid npm package name' }],
  );
}

/** The part after the scope: `@acme/utils` → `utils`. */
export function unscopedName(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? name : name.slice(slash + 1);
}

export function isValidVersion(version: string): boolean {
  return version.length <= 256 && VERSION_PATTERN.test(version);
}

export function checkVersion(version: string): string {
  if (isValidVersion(version)) return version;
  throw Errors.validation(`Invalid version ${JSON.stringify(version.slice(0, 100))}: publish a clean semver version such as 1.2.3`, [
    { path: 'version', message: 'invalid semver version' },
  ]);
}

export function checkTag(tag: string): string {
  if (TAG_PATTERN.test(tag) && !/^v\d/.test(tag)) return tag;
  throw Errors.validation(
    `Invalid dist-tag ${JSON.stringify(tag.slice(0, 100))}: use a letter then letters, digits, ".", "_" or "-" (not something that reads as a version)`,
    [{ path: 'tag', message: 'invalid dist-tag' }],
  );
}

/** The file a version's tarball is stored (and served) under: `utils-1.2.3.tgz` for `@acme/utils`. */
export function tarballFilename(name: string, version: string): string {
  return `${unscopedName(name)}-${version}.tgz`;
}

/** Whether a requested filename can be a tarball of this package (checked before any lookup). */
export function isTarballFilenameOf(name: string, filename: string): boolean {
  const prefix = `${unscopedName(name)}-`;
  return filename.startsWith(prefix) && filename.endsWith('.tgz') && isValidVersion(filename.slice(prefix.length, -'.tgz'.length));
}
