import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import { Readable } from 'node:stream';
import type { Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { fromBlobStoreError } from './blob-errors.js';
import type { OciServiceDeps } from './blobs.js';
import { algorithmOf, digestOf, parseManifest } from './manifest.js';
import { DigestBytesCache } from '../digest-bytes-cache.js';
import { MediaType } from './media-types.js';
import { ResolutionCache } from './resolution-cache.js';
import { referenceText, type Reference } from './names.js';
import type { OciManifest } from './ports.js';

export interface StoredManifest {
  manifest: OciManifest;
  bytes: Buffer;
}

export interface PushedManifest {
  digest: Digest;
  subject: Digest | null;
}

/** A referrers listing: an OCI image index of descriptors. */
export interface ReferrersIndex {
  schemaVersion: 2;
  mediaType: typeof MediaType.ociIndex;
  manifests: { mediaType: string; digest: Digest; size: number; artifactType?: string; annotations?: Record<string, string> }[];
}

/** Manifests and tags: validation, reference checks, exact-bytes storage, resolution, referrers. */
export class OciManifests {
  private readonly cache = new DigestBytesCache();
  private readonly resolved = new ResolutionCache();

  constructor(private readonly deps: OciServiceDeps) {}

  /** The manifest a tag or digest names (metadata only: enough for HEAD). */
  async resolve(repository: string, reference: Reference): Promise<OciManifest> {
    const { oci } = this.deps.store;
    const text = referenceText(reference);
    const now = this.deps.clock.now().getTime();
    const memo = this.resolved.get(repository, text, now);
    if (memo) return memo;
    const generation = this.resolved.current();
    const manifest =
      reference.kind === 'tag' ? await oci.manifestByNameAndTag(repository, reference.tag) : await oci.manifestByNameAndDigest(repository, reference.digest);
    if (manifest) {
      this.resolved.set(repository, text, manifest, now, generation);
      return manifest;
    }
    if (!(await oci.repositoryByName(repository))) throw Errors.nameUnknown(repository);
    throw Errors.manifestUnknown(repository, referenceText(reference));
  }

  /** resolve() when this process already holds the answer; undefined when it would read the database. */
  resolvedInMemory(repository: string, reference: Reference): OciManifest | undefined {
    return this.resolved.get(repository, referenceText(reference), this.deps.clock.nowMs());
  }

  /** get() when this process already holds the manifest and its bytes; undefined otherwise. */
  inMemory(repository: string, reference: Reference): StoredManifest | undefined {
    const manifest = this.resolvedInMemory(repository, reference);
    const bytes = manifest && this.cache.get(manifest.digest);
    return bytes && { manifest: manifest as OciManifest, bytes };
  }

  /** The manifest with its exact bytes, as pushed. */
  async get(repository: string, reference: Reference): Promise<StoredManifest> {
    const manifest = await this.resolve(repository, reference);
    return { manifest, bytes: await this.bytesOf(repository, manifest) };
  }

  /**
   * Validates and stores a manifest exactly as received. Everything it references must already be in the
   * repository; nothing is visible unless all of it is (bytes first, then one transaction for the rows).
   */
  async put(
    repository: string,
    reference: Reference,
    bytes: Buffer,
    contentType: string | undefined,
  ): Promise<PushedManifest> {
    const parsed = parseManifest(bytes, contentType);
    const digest = digestOf(bytes, reference.kind === 'digest' ? algorithmOf(reference.digest) : 'sha256');
    if (reference.kind === 'digest' && reference.digest !== digest) {
      throw Errors.digestInvalid(`The manifest's content has digest ${digest}, not ${reference.digest}: nothing was stored`);
    }
    const { store, blobs, clock } = this.deps;
    const now = clock.now();
    this.resolved.clear();
    await store.oci.touchBlob(digest, now);
    try {
      await blobs.put(Readable.from([bytes]), digest);
    } catch (error) {
      throw fromBlobStoreError(error, { repository });
    }
    await store.transaction(async (tx) => {
      const repo = await tx.oci.ensureRepository(repository, now);
      const found = await tx.oci.touchLinkedBlobs(
        repo.id,
        parsed.blobs.map((b) => b.digest),
        now,
      );
      for (const blob of parsed.blobs) {
        const size = found.get(blob.digest);
        if (size === undefined) throw Errors.manifestBlobUnknown(blob.digest, 'blob');
        if (size !== blob.size) throw Errors.manifestInvalid(`The descriptor of ${blob.digest} says ${blob.size} bytes; the blob has ${size}`);
      }
      const children = await tx.oci.existingManifests(
        repo.id,
        parsed.manifests.map((m) => m.digest),
      );
      for (const child of parsed.manifests) if (!children.has(child.digest)) throw Errors.manifestBlobUnknown(child.digest, 'manifest');
      await tx.oci.insertManifest(
        {
          repositoryId: repo.id,
          digest,
          mediaType: parsed.mediaType,
          artifactType: parsed.artifactType,
          subject: parsed.subject,
          size: bytes.length,
          annotations: parsed.annotations,
          createdAt: now,
        },
        [...parsed.blobs.map((b) => ({ digest: b.digest, kind: 'blob' as const })), ...parsed.manifests.map((m) => ({ digest: m.digest, kind: 'manifest' as const }))],
      );
      if (reference.kind === 'tag') await tx.oci.setTag(repo.id, reference.tag, digest, now);
    });
    this.cache.set(digest, bytes);
    this.resolved.clear();
    return { digest, subject: parsed.subject };
  }

  /** By digest: the manifest and every tag on it. By tag: the tag only. */
  async delete(principal: Principal, repository: string, reference: Reference, ctx: RequestContext): Promise<void> {
    const repo = await this.deps.store.oci.repositoryByName(repository);
    if (!repo) throw Errors.nameUnknown(repository);
    this.resolved.clear();
    const deleted = await this.deps.store.transaction(async (tx) => {
      const done = reference.kind === 'tag' ? await tx.oci.deleteTag(repo.id, reference.tag) : await tx.oci.deleteManifest(repo.id, reference.digest);
      if (done) {
        const action = reference.kind === 'tag' ? 'image.tag_deleted' : 'image.manifest_deleted';
        await this.deps.audit.record(tx.audit, { actor: actorName(principal), action, target: { type: 'oci', id: repo.id, name: repository }, details: { reference: referenceText(reference) } }, ctx);
      }
      return done;
    });
    this.resolved.clear();
    if (!deleted) throw Errors.manifestUnknown(repository, referenceText(reference));
  }

  /** Tags in lexical order, `limit` at most after `last`; `more` tells whether a next page exists. */
  async tags(repository: string, limit: number, last: string | undefined): Promise<{ tags: string[]; more: boolean }> {
    const repo = await this.deps.store.oci.repositoryByName(repository);
    if (!repo) throw Errors.nameUnknown(repository);
    if (limit === 0) return { tags: [], more: false };
    const page = await this.deps.store.oci.listTags(repo.id, last, limit + 1);
    return { tags: page.slice(0, limit), more: page.length > limit };
  }

  /** Manifests whose subject is `subject` (an empty index when there are none, as the spec requires). */
  async referrers(repository: string, subject: Digest, artifactType: string | undefined): Promise<ReferrersIndex> {
    const repo = await this.deps.store.oci.repositoryByName(repository);
    const found = repo ? await this.deps.store.oci.referrers(repo.id, subject, artifactType) : [];
    return {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: found.map((m) => ({
        mediaType: m.mediaType,
        digest: m.digest,
        size: m.size,
        ...(m.artifactType !== null ? { artifactType: m.artifactType } : {}),
        ...(m.annotations !== null ? { annotations: m.annotations } : {}),
      })),
    };
  }

  private async bytesOf(repository: string, manifest: OciManifest): Promise<Buffer> {
    const cached = this.cache.get(manifest.digest);
    if (cached) return cached;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.deps.blobs.open(manifest.digest)) chunks.push(chunk as Buffer);
    } catch (error) {
      throw fromBlobStoreError(error, { repository });
    }
    const bytes = Buffer.concat(chunks);
    this.cache.set(manifest.digest, bytes);
    return bytes;
  }
}
