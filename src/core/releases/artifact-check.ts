import type { Digest } from '../blob-store.js';
import type { FieldIssue } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import type { ReleaseArtifactKind } from '../protocols.js';
import { isImageArtifact, type PackageArtifact, type ReleaseArtifact } from './model.js';
import type { ArtifactProtocols } from './release-input.js';

const describe = (a: ReleaseArtifact): string => (isImageArtifact(a) ? `image ${a.repository}@${a.digest}` : `${a.type} package ${a.name} ${a.version}`);

type PackageKind = Extract<ReleaseArtifactKind, { shape: 'package' }>;
const packageName = (kind: PackageKind, a: PackageArtifact): string => (kind.normalizeName ? kind.normalizeName(a.name) : a.name);

/** The identity of an artifact within one release: one digest per repository, one version per package. */
function slot(kinds: Map<string, ReleaseArtifactKind>, a: ReleaseArtifact): string {
  const kind = kinds.get(a.type);
  if (isImageArtifact(a) || kind?.shape !== 'package') return `${a.type}\n${isImageArtifact(a) ? a.repository : a.name}`;
  return `${a.type}\n${packageName(kind, a)}`;
}

/**
 * Why these artifacts cannot make a release: duplicates, and artifacts the registry does not hold. Empty
 * when all is well. The checks run concurrently; a release names at most a few hundred artifacts. Each
 * artifact is looked up the way its protocol's registry entry says (core/protocols.ts, ReleaseArtifactKind).
 */
export async function artifactProblems(store: MetadataStore, protocols: ArtifactProtocols, artifacts: ReleaseArtifact[]): Promise<FieldIssue[]> {
  const kinds = new Map(protocols.map((p) => [p.id, p.artifact]));
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  artifacts.forEach((a, i) => {
    const key = slot(kinds, a);
    const first = seen.get(key);
    if (first !== undefined) issues.push({ path: `artifacts.${i}`, message: `names the same ${isImageArtifact(a) ? 'repository' : 'package'} as artifacts.${first}` });
    else seen.set(key, i);
  });
  const exists = await Promise.all(artifacts.map((a) => artifactExists(store, kinds.get(a.type), a)));
  exists.forEach((found, i) => {
    const artifact = artifacts[i];
    if (!found && artifact) issues.push({ path: `artifacts.${i}`, message: `${describe(artifact)} does not exist in this registry` });
  });
  return issues;
}

async function artifactExists(store: MetadataStore, kind: ReleaseArtifactKind | undefined, artifact: ReleaseArtifact): Promise<boolean> {
  if (!kind) return false;
  if (isImageArtifact(artifact)) {
    return kind.shape === 'image' && (await store.oci.manifestByNameAndDigest(artifact.repository, artifact.digest as Digest)) !== undefined;
  }
  if (kind.shape !== 'package') return false;
  // Compare the way the protocol stores names and versions (PyPI: PEP 503 names, PEP 440 versions).
  const pkg = await store.packages.get(kind.repository, packageName(kind, artifact));
  const version = kind.normalizeVersion ? kind.normalizeVersion(artifact.version) : artifact.version;
  return pkg !== undefined && (await store.packages.version(pkg.id, version)) !== undefined;
}
