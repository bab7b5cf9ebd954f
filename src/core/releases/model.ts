/** Releases: a named, versioned, immutable set of artifacts recorded by CI or a person. */

/** The package types a release may name by name and version (every type but OCI images). */
export const PACKAGE_ARTIFACT_TYPES = ['npm', 'pypi', 'go', 'helm', 'cargo'] as const;

export type ReleaseArtifact =
  | { type: 'oci'; repository: string; digest: string }
  | { type: 'npm'; name: string; version: string }
  | { type: 'pypi'; name: string; version: string }
  /** A Go module (name = module path), a Helm chart, a Cargo crate: each at a version. */
  | { type: 'go' | 'helm' | 'cargo'; name: string; version: string };

/** The CI run or change a release came from; every field optional. */
export interface ReleaseSource {
  commit: string | null;
  branch: string | null;
  pr: string | null;
  author: string | null;
  url: string | null;
}

export interface Release {
  /** Increasing with creation: a higher id is a newer release. */
  id: number;
  name: string;
  version: string;
  artifacts: ReleaseArtifact[];
  source: ReleaseSource;
  notes: string | null;
  createdAt: Date;
  /** The actor as the audit log names it (user, or user and token). */
  createdBy: string;
  createdByTokenId: string | null;
}

/** Enough of a release to name it beside a deployment. */
export interface ReleaseRef {
  id: number;
  name: string;
  version: string;
  createdAt: Date;
}
