/**
 * Go module versions: canonical semantic versions as the Go command writes them (vMAJOR.MINOR.PATCH,
 * optional -prerelease, +incompatible as the only build suffix), their order, and the rule tying a
 * version's major to the module path's /vN suffix.
 */
import { splitPathMajor } from './module-path.js';

const CANONICAL = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(\+incompatible)?$/;

export interface GoVersion {
  text: string;
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string[];
  incompatible: boolean;
}

/** Parses a canonical version; undefined for anything else (v1.2, v1.2.3+meta, 1.2.3…). */
export function parseGoVersion(text: string): GoVersion | undefined {
  const m = CANONICAL.exec(text);
  if (!m) return undefined;
  return {
    text,
    major: BigInt(m[1] as string),
    minor: BigInt(m[2] as string),
    patch: BigInt(m[3] as string),
    prerelease: m[4] ? m[4].split('.') : [],
    incompatible: m[5] !== undefined,
  };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semantic-version order (build suffixes ignored, as Go does). */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const c = compareIdentifiers(a.prerelease[i] as string, b.prerelease[i] as string);
    if (c !== 0) return c;
  }
  return a.prerelease.length - b.prerelease.length;
}

/** Why `version` cannot be a version of module `path` (its major against the path's /vN suffix), or null. */
export function versionProblem(path: string, version: string): string | null {
  const v = parseGoVersion(version);
  if (!v) return `${JSON.stringify(version)} is not a canonical semantic version (vMAJOR.MINOR.PATCH[-pre])`;
  const { suffix } = splitPathMajor(path);
  if (suffix === '') {
    if (v.major <= 1n || v.incompatible) return null;
    return `should be v0 or v1, not v${v.major} (a v2+ module's path ends in /v${v.major})`;
  }
  if (v.incompatible) return '+incompatible is only for modules without a /vN suffix';
  if (`/v${v.major}` !== suffix) return `should be ${suffix.slice(1)}, not v${v.major}`;
  return null;
}
