import type { Digest } from '../blob-store.js';
import type { LoadedPackage } from '../packages/model.js';
import { entityTag } from '../packages/project-cache.js';
import { compareGoVersions, parseGoVersion, type GoVersion } from '../../formats/go/versions.js';
import { modFilename, readGoVersionMetadata, zipFilename, type GoVersionMetadata } from './records.js';

export interface GoVersionView {
  version: GoVersion;
  /** The `.info` answer, rendered once. */
  info: string;
  metadata: GoVersionMetadata;
  zip: { digest: Digest; size: number };
  mod: { digest: Digest; size: number };
}

/** One module as the proxy protocol serves it, built once per stored revision (see ProjectCache). */
export interface GoModuleView {
  path: string;
  /** Ascending semantic-version order. */
  versions: GoVersionView[];
  byVersion: Map<string, GoVersionView>;
  /** The `@v/list` answer, and its entity tag. */
  list: string;
  listEtag: string;
  /** The `@latest` answer's version: the highest release (else pre-release) not retracted. */
  latest: GoVersionView | undefined;
}

function isRetracted(v: GoVersion, ranges: GoVersionMetadata['retract']): boolean {
  return ranges.some((r) => {
    const low = parseGoVersion(r.low);
    const high = parseGoVersion(r.high);
    return low !== undefined && high !== undefined && compareGoVersions(low, v) <= 0 && compareGoVersions(v, high) <= 0;
  });
}

export function goModuleView(loaded: LoadedPackage): GoModuleView {
  const files = new Map(loaded.files.map((f) => [f.filename, f]));
  const versions: GoVersionView[] = [];
  for (const row of loaded.versions) {
    const version = parseGoVersion(row.version);
    const zip = files.get(zipFilename(row.version));
    const mod = files.get(modFilename(row.version));
    if (!version || !zip || !mod) continue;
    versions.push({
      version,
      info: JSON.stringify({ Version: row.version, Time: row.createdAt.toISOString() }),
      metadata: readGoVersionMetadata(row.metadata),
      zip: { digest: zip.blobDigest, size: zip.size },
      mod: { digest: mod.blobDigest, size: mod.size },
    });
  }
  versions.sort((a, b) => compareGoVersions(a.version, b.version));
  // Like `go`, take retractions from the highest version's go.mod (releases before pre-releases).
  const releases = versions.filter((v) => v.version.prerelease.length === 0);
  const newest = releases.at(-1) ?? versions.at(-1);
  const retract = newest?.metadata.retract ?? [];
  const allowed = versions.filter((v) => !isRetracted(v.version, retract));
  const latest = allowed.filter((v) => v.version.prerelease.length === 0).at(-1) ?? allowed.at(-1) ?? newest;
  const list = versions.map((v) => `${v.version.text}\n`).join('');
  return {
    path: loaded.package.name,
    versions,
    byVersion: new Map(versions.map((v) => [v.version.text, v])),
    list,
    listEtag: entityTag(list),
    latest,
  };
}
