/** Releases: a named, versioned, immutable set of artifacts recorded by CI or a person. */

/**
 * One artifact of a release, `type` naming its protocol (the protocol registry's id): an image (a
 * repository's manifest digest) or a package version, as the protocol's `artifact.shape` says.
 */
export type ReleaseArtifact = ImageArtifact | PackageArtifact;
export interface ImageArtifact {
  type: string;
  repository: string;
  digest: string;
}
export interface PackageArtifact {
  type: string;
  name: string;
  version: string;
}

export function isImageArtifact(a: ReleaseArtifact): a is ImageArtifact {
  return 'digest' in a;
}

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
