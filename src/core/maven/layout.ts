import { Errors } from '../errors.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../hosted-files/checksums.js';
import { pathSegments, SEGMENT, VERSION } from '../hosted-files/paths.js';

export const METADATA_FILE = 'maven-metadata.xml';

/** What follows `artifactId-version` in a file name: an optional `-classifier`, then `.extension`. */
const SUFFIX = /^(?:-([A-Za-z0-9_][A-Za-z0-9_.~+]*?))?\.([A-Za-z0-9][A-Za-z0-9.]*)$/;
/** A timestamped snapshot's version part: `20260101.120000-3`. */
const SNAPSHOT_STAMP = /^(\d{8}\.\d{6})-(\d{1,9})/;

export interface Coordinates {
  groupId: string;
  artifactId: string;
}

export interface ArtifactFile extends Coordinates {
  kind: 'file';
  /** The version directory (`1.0`, `1.0-SNAPSHOT`). */
  version: string;
  filename: string;
  classifier: string | null;
  extension: string;
  /** Set for a timestamped snapshot file (`lib-1.0-20260101.120000-3.jar`). */
  snapshot: { timestamp: string; buildNumber: number } | null;
}

/** A Maven 2 layout path, classified. */
export type MavenPath =
  | ArtifactFile
  | { kind: 'checksum'; of: MavenPath & { kind: 'file' | 'metadata' }; algorithm: ChecksumAlgorithm }
  /** `maven-metadata.xml` of an artifact (`version` null) or of one SNAPSHOT version. */
  | { kind: 'metadata'; coordinates: Coordinates; version: string | null }
  /** A directory: the segments below the mount (possibly none). */
  | { kind: 'directory'; segments: string[] };

export const isSnapshot = (version: string) => version.endsWith('-SNAPSHOT');

function checksumOf(filename: string): { base: string; algorithm: ChecksumAlgorithm } | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    if (filename.endsWith(`.${algorithm}`) && filename.length > algorithm.length + 1) {
      return { base: filename.slice(0, -(algorithm.length + 1)), algorithm };
    }
  }
  return undefined;
}

/**
 * Classifies a path below the mount. A trailing slash (or anything that is not a file of the layout) is a
 * directory. Files are checked against their directory: `g/a/v/a-v[-classifier].ext`, or for a SNAPSHOT
 * version `a-<base>-<yyyyMMdd.HHmmss>-<n>[-classifier].ext` (or the plain `a-v-SNAPSHOT…` form).
 */
export function parseMavenPath(path: string): MavenPath {
  const segments = pathSegments(path);
  const last = segments[segments.length - 1];
  if (path.endsWith('/') || last === undefined) return { kind: 'directory', segments };
  const checksum = checksumOf(last);
  if (checksum) {
    const of = classifyFile([...segments.slice(0, -1), checksum.base]);
    if (!of) throw Errors.validation(`${last} is not the checksum of a file of the Maven 2 layout`);
    return { kind: 'checksum', of, algorithm: checksum.algorithm };
  }
  return classifyFile(segments) ?? { kind: 'directory', segments };
}

function classifyFile(segments: string[]): (MavenPath & { kind: 'file' | 'metadata' }) | undefined {
  const n = segments.length;
  const filename = segments[n - 1] as string;
  if (filename === METADATA_FILE) {
    // `g…/a/v-SNAPSHOT/maven-metadata.xml` is a snapshot version's; `g…/a/maven-metadata.xml` the artifact's.
    const parent = segments[n - 2];
    if (n >= 4 && parent !== undefined && isSnapshot(parent)) {
      return { kind: 'metadata', coordinates: coordinates(segments.slice(0, n - 2)), version: parent };
    }
    if (n >= 3) return { kind: 'metadata', coordinates: coordinates(segments.slice(0, n - 1)), version: null };
    return undefined;
  }
  if (n < 4) return undefined;
  const version = segments[n - 2] as string;
  const { groupId, artifactId } = coordinates(segments.slice(0, n - 2));
  if (!VERSION.test(version)) return undefined;
  const parsed = fileParts(filename, artifactId, version);
  return parsed && { kind: 'file', groupId, artifactId, version, filename, ...parsed };
}

function fileParts(filename: string, artifactId: string, version: string): Pick<ArtifactFile, 'classifier' | 'extension' | 'snapshot'> | undefined {
  const prefix = `${artifactId}-`;
  if (!filename.startsWith(prefix)) return undefined;
  const rest = filename.slice(prefix.length);
  const suffix = (tail: string) => SUFFIX.exec(tail);
  if (rest.startsWith(version)) {
    const m = suffix(rest.slice(version.length));
    if (m) return { classifier: m[1] ?? null, extension: m[2] as string, snapshot: null };
  }
  if (isSnapshot(version)) {
    const base = version.slice(0, -'SNAPSHOT'.length);
    if (!rest.startsWith(base)) return undefined;
    const stamp = SNAPSHOT_STAMP.exec(rest.slice(base.length));
    if (!stamp) return undefined;
    const m = suffix(rest.slice(base.length + stamp[0].length));
    if (m) return { classifier: m[1] ?? null, extension: m[2] as string, snapshot: { timestamp: stamp[1] as string, buildNumber: Number(stamp[2]) } };
  }
  return undefined;
}

/** `com/example/lib` → groupId `com.example`, artifactId `lib`. */
function coordinates(segments: string[]): Coordinates {
  return { groupId: segments.slice(0, -1).join('.'), artifactId: segments[segments.length - 1] as string };
}

/** The package name coordinates are stored under (`groupId:artifactId`). */
export const packageName = (c: Coordinates) => `${c.groupId}:${c.artifactId}`;

/** `com.example:lib` → `com/example/lib`, the artifact's directory. */
export function artifactDirectory(name: string): string {
  const [groupId, artifactId] = name.split(':') as [string, string];
  return `${groupId.replace(/\./g, '/')}/${artifactId}`;
}

/** Parses `groupId:artifactId:version` (the form releases name Maven artifacts by). */
export function parseGav(text: string): Coordinates & { version: string } {
  const parts = text.split(':');
  const [groupId, artifactId, version] = parts;
  const ok = parts.length === 3 && groupId && artifactId && version && groupId.split('.').every((s) => SEGMENT.test(s)) && SEGMENT.test(artifactId) && VERSION.test(version);
  if (!ok) throw Errors.validation(`Invalid Maven coordinates ${JSON.stringify(text.slice(0, 200))}: use groupId:artifactId:version`);
  return { groupId, artifactId, version };
}
