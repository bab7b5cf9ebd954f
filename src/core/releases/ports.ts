import type { Release, ReleaseRef } from './model.js';

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
  insert(release: Omit<Release, 'id'>): Promise<number>;
  byId(id: number): Promise<Release | undefined>;
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
