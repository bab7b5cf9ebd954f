import type { Digest } from '../blob-store.js';

/**
 * The one package model shared by npm and PyPI: repositories → packages → versions → files → blobs.
 * Per-protocol metadata travels as JSON text that the protocol validated; it is stored exactly as given.
 */
/** The repository packages live in: the id of the protocol that owns them (`npm`, `pypi`, …; see src/protocols/registry.ts). */
export type PackageRepository = string;

export interface PackageRecord {
  id: string;
  repository: PackageRepository;
  /** The canonical name lookups use (npm: as published; PyPI: PEP 503-normalised). */
  name: string;
  /** The name as the publisher spelled it. */
  displayName: string;
  /** Package-level metadata (JSON text), owned by the protocol. */
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRecord {
  id: string;
  packageId: string;
  version: string;
  /** Version-level metadata (JSON text) exactly as the protocol stored it. */
  metadata: string;
  createdAt: Date;
  /**
   * Who published it (JSON of publisher.ts), read from its latest publication (the one record of who
   * published what, core/releases/publications.ts); null when none was recorded.
   */
  publishedBy: string | null;
}

export interface FileRecord {
  id: string;
  packageId: string;
  versionId: string;
  filename: string;
  blobDigest: Digest;
  size: number;
  /** File-level metadata (JSON text): hashes, requires-python, yanked, core-metadata digest… */
  metadata: string;
  createdAt: Date;
}

export interface TagRecord {
  packageId: string;
  tag: string;
  version: string;
}

/** A package with everything under it, loaded in a fixed number of queries (never one per version). */
export interface LoadedPackage {
  package: PackageRecord;
  versions: VersionRecord[];
  files: FileRecord[];
  tags: TagRecord[];
}

/** A protocol's stored rendering of a whole package, valid while the package's metadata still equals `revision`. */
export interface PackageRendering {
  name: string;
  revision: string;
  body: string;
}

export interface NewFile {
  filename: string;
  blobDigest: Digest;
  size: number;
  metadata: string;
  /** Other blobs the file's metadata points at (PyPI's PEP 658 core metadata): kept by GC as long as the file. */
  otherBlobs?: Digest[];
}
