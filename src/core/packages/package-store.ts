import type { FileRecord, LoadedPackage, NewFile, PackageRecord, PackageRendering, PackageRepository, TagRecord, VersionRecord } from './model.js';

export interface PackageSearch {
  /** Case-insensitive substring of the package name; omit to list all. */
  text?: string;
  limit: number;
  offset: number;
}

/**
 * The package model's storage port. Writes that must land together run inside
 * MetadataStore.transaction (the store handed to the callback has a transaction-bound `packages`).
 * Uniqueness (package name per repository, version per package, filename per package) is enforced by the
 * database; a violation surfaces as Errors.conflict.
 */
export interface PackageStore {
  get(repository: PackageRepository, name: string): Promise<PackageRecord | undefined>;
  load(repository: PackageRepository, name: string): Promise<LoadedPackage | undefined>;
  search(repository: PackageRepository, query: PackageSearch): Promise<PackageRecord[]>;
  /** Every package of a repository with its versions and files, in three queries (a Helm index.yaml needs all). */
  loadAll(repository: PackageRepository): Promise<LoadedPackage[]>;
  /** Returns the existing package, or creates it. */
  ensure(repository: PackageRepository, name: string, displayName: string, now: Date): Promise<PackageRecord>;
  /**
   * Inside a transaction, holds the package until the transaction ends, so that concurrent writes that read
   * and then rewrite its metadata (npm's revision) run one after another instead of overwriting each other.
   */
  lock(packageId: string): Promise<void>;
  setPackageMetadata(packageId: string, metadata: string, now: Date): Promise<void>;
  delete(packageId: string): Promise<void>;

  version(packageId: string, version: string): Promise<VersionRecord | undefined>;
  /** Inserts a version; an existing version → Errors.conflict. */
  insertVersion(packageId: string, version: string, metadata: string, now: Date): Promise<VersionRecord>;
  setVersionMetadata(versionId: string, metadata: string): Promise<void>;
  /** Deletes a version with its files and any tag pointing at it. */
  deleteVersion(versionId: string): Promise<void>;

  /** Inserts a file under a version; a filename already used in the package → Errors.conflict. */
  insertFile(packageId: string, versionId: string, file: NewFile, now: Date): Promise<FileRecord>;
  file(repository: PackageRepository, packageName: string, filename: string): Promise<FileRecord | undefined>;
  /** Removes one file (a snapshot redeployed, a generic file deleted); its blob is left to garbage collection. */
  deleteFile(fileId: string): Promise<void>;
  setFileMetadata(fileId: string, metadata: string): Promise<void>;

  setTag(packageId: string, tag: string, version: string): Promise<void>;
  deleteTag(packageId: string, tag: string): Promise<void>;
  tags(packageId: string): Promise<TagRecord[]>;

  /**
   * Stores (replaces) a package's rendering of one `kind`, made from the package at `revision` (its metadata
   * text): written inside the transaction of the change it renders, so that a cold process reads it back
   * instead of rendering every version again.
   */
  saveRendering(packageId: string, kind: string, revision: string, body: string): Promise<void>;
  /** The stored renderings of one kind for the named packages of a repository (null: all of them), in name order. */
  renderings(repository: PackageRepository, kind: string, names: readonly string[] | null): Promise<PackageRendering[]>;

  /** Every blob digest a package file references (its own and its `otherBlobs`). */
  referencedBlobs(): Promise<Set<string>>;
}
