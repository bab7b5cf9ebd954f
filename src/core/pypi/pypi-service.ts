import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize, isAllowed } from '../auth/authorize.js';
import type { Principal, RequestContext } from '../auth/principal.js';
import { actorName } from '../auth/principal.js';
import type { BlobStore, Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { FileRecord, NewFile } from '../packages/model.js';
import type { MetadataStore } from '../ports.js';
import { isConflict, retryOnConflict } from '../packages/retry-conflicts.js';
import type { PublicationService } from '../releases/publications.js';
import { parseCoreMetadata } from './core-metadata.js';
import { parseDistributionFilename } from './filenames.js';
import { normalizeProjectName } from './names.js';
import { ProjectCache, renderOnce, touchProject, type Rendered } from '../packages/project-cache.js';
import { projectView, type ProjectView, type ReleaseView } from './project-view.js';
import type { ReceivedFile } from './receive.js';
import {
  fileMetadataSchema,
  readRecord,
  releaseInfoFrom,
  type PypiFileMetadata,
  type PypiVersionMetadata,
} from './records.js';
import { PYPI_REPOSITORY } from './repository.js';
import { readSdistMetadata } from './sdist-metadata.js';
import { parseUploadForm, type FormFields } from './upload-form.js';
import { normalizeVersion } from './versions.js';
import { readWheelMetadata } from './wheel-metadata.js';
import { deleteYankedRelease, setReleaseYanked, type YankResult } from './yank.js';

/** How long a cached project page is served before its revision is checked again (see entry()). */
export const PAGE_FRESHNESS_MS = 1000;
/** What the root index and uploads are authorized on: the listing of every project (core/auth/grants.ts, isListing). */
export const PYPI_LISTING = ':packages';

/** Attempts at writing an upload's records when concurrent uploads of the same release collide. */

export interface PypiServiceDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  /** Told of each uploaded file's release (who published it; a CI run's automatic release). */
  publications: PublicationService;
  audit: AuditLog;
}

/** A project's rendered page, or where the canonical name lives when the request used another spelling. */
export type PageResult = { kind: 'page'; page: Rendered; view: ProjectView } | { kind: 'redirect'; name: string };

export interface StoredFile {
  digest: Digest;
  size: number;
}

/** The checks an upload passes before anything is stored: the form, the filename, the declared hashes. */
function checkUpload(fields: FormFields, received: ReceivedFile) {
  const form = parseUploadForm(fields);
  const dist = parseDistributionFilename(received.filename, form.name, form.version);
  if (form.filetype && form.filetype !== dist.kind) {
    throw Errors.validation(`filetype ${form.filetype} does not match ${received.filename}, which is a ${dist.kind}`);
  }
  if (form.sha256_digest !== received.sha256) {
    throw Errors.validation(`sha256_digest ${form.sha256_digest} does not match the uploaded content (sha256 ${received.sha256})`);
  }
  if (form.md5_digest && form.md5_digest !== received.md5) {
    throw Errors.validation(`md5_digest ${form.md5_digest} does not match the uploaded content (md5 ${received.md5})`);
  }
  // parseUploadForm accepted the version, so it normalises.
  return { form, name: normalizeProjectName(form.name), version: normalizeVersion(form.version) as string, dist };
}

/**
 * PyPI's business rules over the shared package model and the blob store: publishing a distribution,
 * the index pages (cached per project revision), file and core-metadata lookups, and yanking.
 * Authorization happens before these calls (the protocol's route guard), except setYanked, which the
 * management API calls and which authorizes itself.
 */
export class PypiService {
  private readonly cache = new ProjectCache();

  constructor(private readonly deps: PypiServiceDeps) {}

  /**
   * A project page rendered by `render` (one rendering per project revision and kind). Names are looked up
   * normalised; a request under another spelling gets a redirect to the canonical one (PEP 503).
   */
  async page(requested: string, kind: string, render: (view: ProjectView) => string): Promise<PageResult> {
    const name = normalizeProjectName(requested);
    if (name !== requested) return { kind: 'redirect', name };
    const entry = await this.entry(name);
    return { kind: 'page', page: renderOnce(entry, kind, render), view: entry.view };
  }

  /** page() when this process holds the project fresh; undefined when it would read the store (or redirect). */
  pageInMemory(requested: string, kind: string, render: (view: ProjectView) => string): Rendered | undefined {
    const name = normalizeProjectName(requested);
    const fresh = name === requested ? this.cache.fresh(name, this.deps.clock.nowMs(), PAGE_FRESHNESS_MS) : undefined;
    return fresh && renderOnce(fresh, kind, render);
  }

  /** The projects the principal may pull (all of them, unless its token is scoped), by normalised name, for the root index. */
  async projects(principal: Principal): Promise<{ name: string; displayName: string }[]> {
    const all = await this.deps.store.packages.search(PYPI_REPOSITORY, { limit: 1_000_000, offset: 0 });
    return all
      .filter((p) => isAllowed(principal, 'pull', { kind: 'artifact', protocol: PYPI_REPOSITORY, name: p.name }))
      .map((p) => ({ name: p.name, displayName: p.displayName }));
  }

  async release(requested: string, version: string): Promise<{ view: ProjectView; release: ReleaseView } | { redirect: string }> {
    const name = normalizeProjectName(requested);
    if (name !== requested) return { redirect: name };
    const { view } = await this.entry(name);
    const wanted = normalizeVersion(version) ?? version;
    const release = view.releases.find((r) => r.version === wanted);
    if (!release) throw Errors.notFound('Release', `${name} ${version}`);
    return { view, release };
  }

  /** A distribution file's blob. */
  async file(project: string, filename: string): Promise<StoredFile> {
    const record = await this.fileRecord(project, filename);
    return { digest: record.blobDigest, size: record.size };
  }

  /** The METADATA extracted from a wheel at upload (PEP 658), as its own blob. */
  async coreMetadata(project: string, filename: string): Promise<StoredFile> {
    const meta = readRecord(fileMetadataSchema, (await this.fileRecord(project, filename)).metadata, 'file');
    if (!meta.coreMetadata) throw Errors.notFound('Core metadata of', filename);
    return { digest: `sha256:${meta.coreMetadata.sha256}`, size: meta.coreMetadata.size };
  }

  /**
   * Publishes a received upload. Validation first (form, filename against name and version, hashes,
   * duplicate), then the blob is committed, the archive's core metadata read and checked, and the records
   * written in one transaction. On any failure nothing becomes visible.
   */
  async publish(principal: Principal, fields: FormFields, received: ReceivedFile, signal?: AbortSignal): Promise<FileRecord> {
    let committed: { digest: Digest; createdHere: boolean } | undefined;
    try {
      const { form, name, version, dist } = checkUpload(fields, received);
      // The route authorized uploads to the index; the project is only known now (a scoped token may miss it).
      authorize(principal, 'push', { kind: 'artifact', protocol: PYPI_REPOSITORY, name });
      if (await this.deps.store.packages.file(PYPI_REPOSITORY, name, received.filename)) {
        throw Errors.conflict(`File already exists: ${received.filename}`);
      }

      const digest: Digest = `sha256:${received.sha256}`;
      // Touched before the bytes are committed, so a concurrent `flyreg gc` keeps them (core/oci/ports.ts).
      await this.deps.store.oci.touchBlob(digest, this.deps.clock.now());
      const createdHere = (await this.deps.blobs.stat(digest)) === undefined;
      await this.deps.blobs.commitUpload(received.uploadId, digest);
      committed = { digest, createdHere };

      const metadataBytes =
        dist.kind === 'bdist_wheel'
          ? await readWheelMetadata(this.deps.blobs, digest, received.size, name, signal)
          : await readSdistMetadata(this.deps.blobs, digest, received.size, signal);
      const core = parseCoreMetadata(metadataBytes);
      if (normalizeProjectName(core.name) !== name) {
        throw Errors.validation(`The file's metadata names project ${core.name}, not ${form.name}`);
      }
      if (normalizeVersion(core.version) !== version) {
        throw Errors.validation(`The file's metadata says version ${core.version}, not ${form.version}`);
      }
      const metadataBlob = dist.kind === 'bdist_wheel' ? await this.storeTouched(metadataBytes) : undefined;

      const fileMeta: PypiFileMetadata = {
        packagetype: dist.kind,
        pythonVersion: form.pyversion ?? dist.pythonTag,
        sha256: received.sha256,
        md5: received.md5,
        requiresPython: core.requiresPython ?? form.requires_python ?? null,
        coreMetadata: metadataBlob ? { sha256: metadataBlob.digest.slice('sha256:'.length), size: metadataBlob.size } : null,
        uploadedBy: actorName(principal),
      };
      const versionMeta: PypiVersionMetadata = { info: releaseInfoFrom(core), yanked: null };
      const newFile: NewFile = {
        filename: received.filename,
        blobDigest: digest,
        size: received.size,
        metadata: JSON.stringify(fileMeta),
        // The core metadata blob is kept by GC as long as the file that points at it.
        otherBlobs: metadataBlob ? [metadataBlob.digest] : [],
      };
      const file = await this.writeRecords({ name, displayName: form.name, version, versionMeta, file: newFile });
      // The publisher is part of what the project view shows: recorded before the cached view is dropped.
      await this.deps.publications.record(principal, { type: 'pypi', name, version }, null);
      this.cache.delete(name);
      return file;
    } catch (error) {
      await this.discard(received, committed, error).catch(() => {
        // Cleanup is best effort: the error that made us clean up is the one the client must see.
      });
      throw error;
    }
  }

  /** Stores small bytes as a blob, its bookkeeping row touched first (as every blob a file uses). */
  private async storeTouched(bytes: Buffer): Promise<{ digest: Digest; size: number }> {
    const digest: Digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await this.deps.store.oci.touchBlob(digest, this.deps.clock.now());
    return this.deps.blobs.put(Readable.from([bytes]), digest);
  }

  /**
   * Writes package, release (when new) and file in one transaction. CI often uploads a release's wheels in
   * parallel: when another upload created the package or release first, the transaction fails with a
   * conflict and is retried, finding them; a duplicate filename stays a conflict on every attempt.
   */
  private async writeRecords(input: { name: string; displayName: string; version: string; versionMeta: PypiVersionMetadata; file: NewFile }) {
    const now = this.deps.clock.now();
    return retryOnConflict(() =>
      this.deps.store.transaction(async (tx) => {
        const pkg = await tx.packages.ensure(PYPI_REPOSITORY, input.name, input.displayName, now);
        const release =
          (await tx.packages.version(pkg.id, input.version)) ??
          (await tx.packages.insertVersion(pkg.id, input.version, JSON.stringify(input.versionMeta), now));
        const record = await tx.packages.insertFile(pkg.id, release.id, input.file, now);
        await touchProject(tx, pkg.id, now);
        return record;
      }),
    );
  }

  /**
   * Undoes what a failed publish left: an uncommitted upload is cancelled; a committed blob this request
   * created is deleted. Only a concurrent upload of these exact bytes under another, valid filename could
   * want that blob meanwhile, so a conflict (a concurrent duplicate) never deletes.
   */
  private async discard(received: ReceivedFile, committed: { digest: Digest; createdHere: boolean } | undefined, error: unknown) {
    if (!committed) return this.deps.blobs.cancelUpload(received.uploadId);
    if (committed.createdHere && !isConflict(error)) await this.deps.blobs.delete(committed.digest);
  }

  /** Yanks (reason, '' for none) or un-yanks (null) a release; this replica's pages change at once. */
  async setYanked(principal: Principal, project: string, version: string, reason: string | null, ctx: RequestContext): Promise<YankResult> {
    const result = await setReleaseYanked(this.deps, principal, project, version, reason, ctx);
    this.cache.delete(result.project);
    return result;
  }

  /** Deletes a yanked release and its files (see yank.ts); authorizes itself, like setYanked. */
  async deleteRelease(principal: Principal, project: string, version: string, ctx: RequestContext) {
    const result = await deleteYankedRelease(this.deps, principal, project, version, ctx);
    this.cache.delete(result.project);
    return result;
  }

  /**
   * The project's view, from the cache while it is fresh: writes through this replica invalidate it at
   * once; writes through another replica change the stored revision, which is re-checked (one indexed
   * read) at most every PAGE_FRESHNESS_MS. That bound is what keeps index GETs off the database.
   */
  private async entry(name: string) {
    const now = this.deps.clock.now().getTime();
    const fresh = this.cache.fresh(name, now, PAGE_FRESHNESS_MS);
    if (fresh) return fresh;
    const pkg = await this.deps.store.packages.get(PYPI_REPOSITORY, name);
    if (!pkg) throw Errors.notFound('Project', name);
    const cached = this.cache.get(name, pkg.metadata, now);
    if (cached) return cached;
    const loaded = await this.deps.store.packages.load(PYPI_REPOSITORY, name);
    if (!loaded) throw Errors.notFound('Project', name);
    return this.cache.set(name, loaded.package.metadata, projectView(loaded), now);
  }

  private async fileRecord(project: string, filename: string): Promise<FileRecord> {
    const record = await this.deps.store.packages.file(PYPI_REPOSITORY, normalizeProjectName(project), filename);
    if (!record) throw Errors.notFound('File', filename);
    return record;
  }
}
