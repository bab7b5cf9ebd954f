/**
 * PEP 440 versions: parsing, the normalised spelling, and ordering. Uploads are keyed by the normalised
 * spelling (so `1.0RC1` and `1.0rc1` are one release) and the JSON APIs sort with compareVersions.
 */
const VERSION_PATTERN = new RegExp(
  '^v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?' +
    '(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

export const MAX_VERSION_LENGTH = 100;

type PreLabel = 'a' | 'b' | 'rc';

export interface ParsedVersion {
  epoch: number;
  release: number[];
  pre: { label: PreLabel; number: number } | null;
  post: number | null;
  dev: number | null;
  local: (number | string)[] | null;
}

const PRE_LABELS: Record<string, PreLabel> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
const PRE_ORDER: Record<PreLabel, number> = { a: 0, b: 1, rc: 2 };

/** Parses a PEP 440 version, or returns null when it is not one. */
export function parseVersion(text: string): ParsedVersion | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_VERSION_LENGTH) return null;
  const g = VERSION_PATTERN.exec(trimmed)?.groups;
  if (!g) return null;
  const int = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const release = (g.release ?? '0').split('.').map(Number);
  if (release.some((n) => !Number.isSafeInteger(n))) return null;
  return {
    epoch: int(g.epoch),
    release,
    pre: g.pre ? { label: PRE_LABELS[(g.preL ?? '').toLowerCase()] ?? 'rc', number: int(g.preN) } : null,
    post: g.post ? int(g.postN1 ?? g.postN2) : null,
    dev: g.dev ? int(g.devN) : null,
    local: g.local ? g.local.toLowerCase().split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part)) : null,
  };
}

/** The canonical spelling PEP 440 defines, e.g. `V1.0-RC.1` → `1.0rc1`. */
export function formatVersion(v: ParsedVersion): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre.label}${v.pre.number}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local.join('.')}`;
  return out;
}

/** Normalises a version string, or returns null when it is not PEP 440. */
export function normalizeVersion(text: string): string | null {
  const parsed = parseVersion(text);
  return parsed && formatVersion(parsed);
}

export function isPrerelease(v: ParsedVersion): boolean {
  return v.pre !== null || v.dev !== null;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRelease(a: number[], b: number[]): number {
  // Trailing zeros do not count: 1.0 == 1.0.0.
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const c = compareNumbers(a[i] ?? 0, b[i] ?? 0);
    if (c) return c;
  }
  return 0;
}

/** Where the pre-release segment sorts: a dev-only release sorts before its pre-releases, a final after them. */
function preKey(v: ParsedVersion): [number, number] {
  if (v.pre) return [PRE_ORDER[v.pre.label], v.pre.number];
  if (v.post === null && v.dev !== null) return [-1, 0];
  return [3, 0];
}

function compareLocal(a: (number | string)[] | null, b: (number | string)[] | null): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    // Numeric segments sort after alphanumeric ones.
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    const c = typeof x === 'number' ? compareNumbers(x, y as number) : x < (y as string) ? -1 : x > (y as string) ? 1 : 0;
    if (c) return c;
  }
  return 0;
}

/** PEP 440 ordering: negative when a < b. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const [aPre, bPre] = [preKey(a), preKey(b)];
  return (
    compareNumbers(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareNumbers(aPre[0], bPre[0]) ||
    compareNumbers(aPre[1], bPre[1]) ||
    compareNumbers(a.post ?? -1, b.post ?? -1) ||
    compareNumbers(a.dev ?? Number.POSITIVE_INFINITY, b.dev ?? Number.POSITIVE_INFINITY) ||
    compareLocal(a.local, b.local)
  );
}

/** Sorts version strings by PEP 440, oldest first; strings that do not parse sort first, as text. */
export function sortVersions(versions: string[]): string[] {
  const parsed = versions.map((text) => ({ text, v: parseVersion(text) }));
  return parsed
    .sort((x, y) => {
      if (!x.v || !y.v) return x.v ? 1 : y.v ? -1 : x.text.localeCompare(y.text);
      return compareVersions(x.v, y.v);
    })
    .map((p) => p.text);
}
