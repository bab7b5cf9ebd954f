import { isImageArtifact, type Publication, type Release, type ReleaseArtifact, type ReleaseRef } from './model.js';

export interface ReleaseSearch {
  name?: string;
  version?: string;
  /** Releases holding an artifact with this digest. */
  digest?: string;
  /** Releases holding this OCI repository or package name. */
  artifact?: string;
  limit: number;
  /** Keyset pagination, newest first: releases with a smaller id. */
  before?: number;
}

/** A repository and digest, as running somewhere. */
export interface ImageRef {
  repository: string;
  digest: string;
}

/** Releases as stored (part of MetadataStore). Releases are immutable: there is no update. */
export interface ReleaseStore {
  /** Inserts the release and its artifacts; an existing name + version → Errors.conflict. Returns the new id. */
  insert(release: Omit<Release, 'id' | 'automatic'> & { automatic?: boolean }): Promise<number>;
  byId(id: number): Promise<Release | undefined>;
  byNameAndVersion(name: string, version: string): Promise<Release | undefined>;
  /** Replaces an automatic release's artifacts (in this order). */
  setArtifacts(id: number, artifacts: ReleaseArtifact[]): Promise<void>;
  /** Removes a release and its artifacts (an automatic release an explicit one replaces). */
  delete(id: number): Promise<void>;
  /** Newest first, artifacts included (loaded in one query for the page). */
  search(query: ReleaseSearch): Promise<Release[]>;
  /** For each repository, the newest release containing it and the digest it names there. */
  latestForRepositories(repositories: string[]): Promise<Map<string, { release: ReleaseRef; digest: string }>>;
  /** For each image, the newest release containing exactly that repository and digest. Keyed by imageKey(). */
  newestContaining(images: ImageRef[]): Promise<Map<string, ReleaseRef>>;
  /** For each repository, how many releases containing it are newer than the given release id. */
  countNewer(after: { repository: string; releaseId: number }[]): Promise<Map<string, number>>;
}

export const imageKey = (image: ImageRef): string => `${image.repository}@${image.digest}`;

/** Publications as stored (part of MetadataStore): append-only. */
export interface PublicationStore {
  insert(publication: Omit<Publication, 'id'>): Promise<void>;
  /** Newest first, for one artifact name (`type` + repository or package name). */
  list(query: { type: ReleaseArtifact['type']; name: string; limit: number }): Promise<Publication[]>;
  /** For each artifact, its latest publication, keyed by artifactKey(). */
  latestFor(artifacts: ReleaseArtifact[]): Promise<Map<string, Publication>>;
}

/** One artifact's identity: type, name and digest or version. */
export const artifactKey = (a: ReleaseArtifact): string =>
  isImageArtifact(a) ? `${a.type}\n${a.repository}\n${a.digest}` : `${a.type}\n${a.name}\n${a.version}`;
