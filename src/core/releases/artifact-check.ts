import type { Digest } from '../blob-store.js';
import type { FieldIssue } from '../errors.js';
import { normalizeCrateName } from '../cargo/names.js';
import { normalizeProjectName } from '../pypi/names.js';
import { normalizeVersion } from '../pypi/versions.js';
import type { MetadataStore } from '../ports.js';
import type { ReleaseArtifact } from './model.js';

const describe = (a: ReleaseArtifact): string =>
  a.type === 'oci' ? `image ${a.repository}@${a.digest}` : `${a.type} package ${a.name} ${a.version}`;

/** The identity of an artifact within one release: one digest per repository, one version per package. */
const slot = (a: ReleaseArtifact): string =>
  a.type === 'oci' ? `oci\n${a.repository}` : `${a.type}\n${storedName(a.type, a.name)}`;

/** How each package type stores names: PyPI PEP 503-normalised, Cargo crates.io-normalised, others as given. */
function storedName(type: Exclude<ReleaseArtifact['type'], 'oci'>, name: string): string {
  if (type === 'pypi') return normalizeProjectName(name);
  if (type === 'cargo') return normalizeCrateName(name);
  return name;
}

/**
 * Why these artifacts cannot make a release: duplicates, and artifacts the registry does not hold. Empty
 * when all is well. The checks run concurrently; a release names at most a few hundred artifacts.
 */
export async function artifactProblems(store: MetadataStore, artifacts: ReleaseArtifact[]): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  artifacts.forEach((a, i) => {
    const first = seen.get(slot(a));
    if (first !== undefined) issues.push({ path: `artifacts.${i}`, message: `names the same ${a.type === 'oci' ? 'repository' : 'package'} as artifacts.${first}` });
    else seen.set(slot(a), i);
  });
  const exists = await Promise.all(artifacts.map((a) => artifactExists(store, a)));
  exists.forEach((found, i) => {
    const artifact = artifacts[i];
    if (!found && artifact) issues.push({ path: `artifacts.${i}`, message: `${describe(artifact)} does not exist in this registry` });
  });
  return issues;
}

async function artifactExists(store: MetadataStore, artifact: ReleaseArtifact): Promise<boolean> {
  switch (artifact.type) {
    case 'oci':
      return (await store.oci.manifestByNameAndDigest(artifact.repository, artifact.digest as Digest)) !== undefined;
    case 'npm': {
      const pkg = await store.packages.get('npm', artifact.name);
      return pkg !== undefined && (await store.packages.version(pkg.id, artifact.version)) !== undefined;
    }
    case 'pypi': {
      // PyPI stores names PEP 503-normalised and versions PEP 440-normalised: compare the same way.
      const pkg = await store.packages.get('pypi', normalizeProjectName(artifact.name));
      const version = normalizeVersion(artifact.version) ?? artifact.version;
      return pkg !== undefined && (await store.packages.version(pkg.id, version)) !== undefined;
    }
    case 'go':
    case 'helm':
    case 'cargo': {
      const pkg = await store.packages.get(artifact.type, storedName(artifact.type, artifact.name));
      return pkg !== undefined && (await store.packages.version(pkg.id, artifact.version)) !== undefined;
    }
  }
}

