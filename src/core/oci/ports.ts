import type { Digest } from '../blob-store.js';
import type { ManifestMediaType } from './media-types.js';

export interface OciRepository {
  id: string;
  name: string;
  createdAt: Date;
}

/** A manifest's metadata row; its exact bytes live in the blob store under `digest`. */
export interface OciManifest {
  repositoryId: string;
  digest: Digest;
  mediaType: ManifestMediaType;
  artifactType: string | null;
  subject: Digest | null;
  size: number;
  annotations: Record<string, string> | null;
  createdAt: Date;
}

export interface OciManifestReference {
  digest: Digest;
  kind: 'blob' | 'manifest';
}

/**
 * OCI metadata, as core sees it (part of MetadataStore, so it shares its transactions).
 *
 * Blob bookkeeping, and why it is safe for `flyreg gc` to run beside the server: every digest any protocol
 * stores (OCI layers and manifests, npm tarballs, PyPI files and their core metadata) has one `blob` row whose
 * `touchedAt` is bumped BEFORE bytes are committed under that digest, and (OCI) inside the transaction of every
 * manifest that references it. The collector deletes a row only when it is
 * older than the grace period and unreferenced, in one conditional statement, and deletes the bytes inside
 * that same transaction; so a concurrent push either touched the row first (the collector skips it) or
 * finds the row gone (and re-creates it, and the bytes, itself).
 */
export interface OciStore {
  repositoryByName(name: string): Promise<OciRepository | undefined>;
  /** Creates the repository when it does not exist yet; returns it either way. */
  ensureRepository(name: string, at: Date): Promise<OciRepository>;
  /** Repository names in order, after `last` (keyset pagination). */
  listRepositories(after: string | undefined, limit: number): Promise<string[]>;

  /** Creates or refreshes a digest's row: call BEFORE committing bytes under the digest. */
  touchBlob(digest: Digest, at: Date): Promise<void>;
  /** Records a committed blob's size and links it into a repository. */
  linkBlob(repositoryId: string, digest: Digest, size: number, at: Date): Promise<void>;
  /** The blob as linked into the repository (with its size), or undefined. */
  linkedBlob(repositoryId: string, digest: Digest): Promise<{ digest: Digest; size: number } | undefined>;
  /**
   * Refreshes the rows of those digests that are linked into the repository and returns their sizes; a digest
   * missing from the result is not in the repository. Run inside the manifest's transaction.
   */
  touchLinkedBlobs(repositoryId: string, digests: Digest[], at: Date): Promise<Map<Digest, number>>;
  /** Removes a blob's link from one repository; false when it was not linked. */
  unlinkBlob(repositoryId: string, digest: Digest): Promise<boolean>;

  /** Which of these digests are manifests of the repository. */
  existingManifests(repositoryId: string, digests: Digest[]): Promise<Set<Digest>>;
  /** Inserts the manifest and its references unless the repository already holds that digest. */
  insertManifest(manifest: OciManifest, references: OciManifestReference[]): Promise<void>;
  manifestByDigest(repositoryId: string, digest: Digest): Promise<OciManifest | undefined>;
  /** The hot path of a pull: repository name + tag → manifest in one query. */
  manifestByNameAndTag(name: string, tag: string): Promise<OciManifest | undefined>;
  manifestByNameAndDigest(name: string, digest: Digest): Promise<OciManifest | undefined>;
  /** Deletes a manifest with its tags and references; false when it did not exist. */
  deleteManifest(repositoryId: string, digest: Digest): Promise<boolean>;
  /** Points a tag at a manifest (moving it if it existed). */
  setTag(repositoryId: string, tag: string, digest: Digest, at: Date): Promise<void>;
  deleteTag(repositoryId: string, tag: string): Promise<boolean>;
  /** Tag names in lexical order after `last`. */
  listTags(repositoryId: string, after: string | undefined, limit: number): Promise<string[]>;
  /** Manifests of the repository whose subject is `subject`, optionally of one artifact type. */
  referrers(repositoryId: string, subject: Digest, artifactType: string | undefined): Promise<OciManifest[]>;

  /** `startedBy` names the credential that started it (see OciUploads.start), so its open sessions can be counted. */
  insertUpload(id: string, repository: string, at: Date, startedBy: string): Promise<void>;
  /** How many upload sessions `startedBy` has open (rows not yet completed, cancelled or swept). */
  countUploads(startedBy: string): Promise<number>;
  /** The repository an upload session belongs to. */
  uploadRepository(id: string): Promise<string | undefined>;
  deleteUpload(id: string): Promise<void>;
  /** Upload rows started before `before` (their sessions may already be gone). */
  staleUploads(before: Date): Promise<string[]>;

  /** Of these digests, those without a bookkeeping row. */
  untrackedBlobs(digests: Digest[]): Promise<Digest[]>;
  /** Gives these digests a row touched at `at` (those that have one keep it). */
  adoptBlobs(digests: Digest[], at: Date): Promise<void>;
  /**
   * Digests whose rows are older than `before` and that no manifest and no package file references (GC
   * candidates), in order after `after`.
   */
  collectableBlobs(before: Date, after: Digest | undefined, limit: number): Promise<Digest[]>;
  /**
   * Deletes the digest's row (and its repository links) if it is still older than `before` and still
   * unreferenced, in one statement. True when it did: the caller then deletes the bytes in the same transaction.
   */
  deleteBlobIfCollectable(digest: Digest, before: Date): Promise<boolean>;

  /** A named secret shared by every replica, created on first use. */
  secret(name: string, create: () => string): Promise<string>;
}
