import type { CiProvenance } from '../oidc/model.js';

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
  /**
   * Grouped by the registry from what a CI run published with an exchanged OIDC token: it grows as the run
   * publishes, and an explicit release of the same name and version replaces it.
   */
  automatic: boolean;
}

/** Enough of a release to name it beside a deployment. */
export interface ReleaseRef {
  id: number;
  name: string;
  version: string;
  createdAt: Date;
}

/** Who or what published one artifact: the actor as the audit log names it, the token, the CI run. */
export interface Publication {
  id: number;
  artifact: ReleaseArtifact;
  publishedAt: Date;
  actor: string;
  userId: string;
  tokenId: string | null;
  tokenName: string | null;
  /** The CI run, for a token a job got by OIDC exchange (a snapshot: it outlives the token). */
  ci: CiProvenance | null;
  /** The publisher's email at publish time (npm shows it as `_npmUser`); null when unknown. */
  email: string | null;
}
