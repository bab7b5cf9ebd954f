import type { CatalogDeployment, CatalogEntry, CatalogQuery } from './model.js';

/** A page of one protocol's entries, in name order, after `after` (exclusive; see nameAfter). */
export interface CatalogPageQuery {
  text?: string;
  /** Entries whose name sorts after this one; with `inclusive`, also the name itself. */
  after?: { name: string; inclusive: boolean };
  limit: number;
}

export interface OciManifestRow {
  digest: string;
  mediaType: string;
  artifactType: string | null;
  subject: string | null;
  size: number;
  createdAt: Date;
  publishedBy: string | null;
}

/** A repository's manifests with what the package page needs about them, in a fixed number of queries. */
export interface OciRepositoryContents {
  name: string;
  createdAt: Date;
  /** Newest first, at most the limit asked for. */
  manifests: OciManifestRow[];
  /** Tag → manifest digest. */
  tags: { name: string; digest: string; updatedAt: Date }[];
  /** Manifest digest → the digests it lists (index → platform manifests). */
  children: Map<string, string[]>;
  /** Manifest digest → total bytes of the blobs it references. */
  blobBytes: Map<string, number>;
  /** More manifests exist than were loaded. */
  truncated: boolean;
}

/**
 * Read-only queries of the Packages section (part of MetadataStore). Names sort bytewise on both engines,
 * so the catalog can merge protocols' pages in JavaScript and page with one keyset.
 */
export interface CatalogStore {
  /** Entries of one repository of the shared package model (npm, PyPI, and protocols built on it). */
  packagePage(repository: string, query: CatalogPageQuery): Promise<Omit<CatalogEntry, 'protocol'>[]>;
  /** OCI repositories. */
  ociPage(query: CatalogPageQuery): Promise<Omit<CatalogEntry, 'protocol'>[]>;
  ociContents(name: string, manifestLimit: number): Promise<OciRepositoryContents | undefined>;
  /** Every environment's runs of this repository, newest last-seen first. */
  deploymentsOf(repository: string, limit: number): Promise<CatalogDeployment[]>;
}

export type { CatalogQuery };
