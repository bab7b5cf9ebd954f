/** PEP 508 project names: ASCII letters and digits, with `.`, `_` and `-` inside. */
const PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** Longest project name we accept; PyPI has no documented limit, this keeps URLs and keys sane. */
export const MAX_PROJECT_NAME_LENGTH = 200;

export function isValidProjectName(name: string): boolean {
  return name.length <= MAX_PROJECT_NAME_LENGTH && PROJECT_NAME.test(name);
}

/** Lowercase letters and digits, single `-` between them: what the normalisation leaves unchanged. */
const ALREADY_NORMAL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * PEP 503 normalisation: lowercase, and every run of `-`, `_` and `.` becomes one `-`. This is the key
 * packages are stored and looked up under, so `Foo.Bar`, `foo_bar` and `FOO--bar` are one project.
 */
export function normalizeProjectName(name: string): string {
  // Most names asked for are already normal (clients normalise them): those come back as they are, unbuilt.
  return ALREADY_NORMAL.test(name) ? name : name.replace(/[-_.]+/g, '-').toLowerCase();
}
