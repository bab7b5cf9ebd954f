import type { Readable } from 'node:stream';
import type { Principal, RequestContext } from '../auth/principal.js';
import type { Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { parseChecksum, receiveFile, type ChecksumAlgorithm } from '../hosted-files/checksums.js';
import { HostedPackages, type Download, type HostedFile, type HostedPackagesDeps } from '../hosted-files/hosted-packages.js';
import type { HostedPackageView, RenderedDocument } from '../hosted-files/hosted-view.js';
import type { ListingEntry } from '../hosted-files/listing.js';
import { readBounded } from '../archives/bounded-read.js';
import { artifactDirectory, isSnapshot, METADATA_FILE, packageName, parseGav, type ArtifactFile, type Coordinates, type MavenPath } from './layout.js';
import { artifactMetadata, snapshotMetadata } from './metadata.js';
import { childText, parseXml } from './xml.js';

/** A pom, or a maven-metadata.xml a client uploads, is read whole to check it: bound it. */
export const MAX_XML_BYTES = 4 * 1024 * 1024;

/** What a GET resolves to: stored bytes, a computed document, or a listing. */
export type MavenResource =
  | { kind: 'file'; file: HostedFile }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'listing'; path: string; entries: ListingEntry[] };

/**
 * A Maven 2 repository over the shared package model: a package per `groupId:artifactId`, a version per
 * version directory, its files. Releases are immutable; a SNAPSHOT's files may be redeployed. Every
 * maven-metadata.xml and every checksum companion is computed from what is stored.
 */
export class MavenRepository {
  readonly hosted: HostedPackages;

  constructor(private readonly deps: HostedPackagesDeps) {
    this.hosted = new HostedPackages(deps, 'maven');
  }

  /** Resolves a GET/HEAD. Throws not_found when nothing is there. */
  async resolve(path: MavenPath): Promise<MavenResource> {
    if (path.kind === 'directory') return this.listing(path.segments);
    return resolveIn(path, await this.hosted.view(artifactOf(path)));
  }

  /**
   * resolve() when this process holds the artifact's view; undefined when resolve() would read the store
   * (or a directory's listing is asked for). Throws what resolve() throws.
   */
  resolveInMemory(path: MavenPath): MavenResource | undefined {
    if (path.kind === 'directory') return undefined;
    const view = this.hosted.viewInMemory(artifactOf(path));
    return view && resolveIn(path, view);
  }

  open(file: HostedFile, range: string | undefined): Promise<Download> {
    return this.hosted.open(file, range);
  }

  /** open() when the file's bytes are in memory. */
  openInMemory(file: HostedFile, range: string | undefined): Download | undefined {
    return this.hosted.openInMemory(file, range);
  }

  /**
   * Deploys a file of the layout. A release file that exists is refused (409); a SNAPSHOT file replaces
   * the one before. A pom must be XML naming this artifactId. Declared checksums (X-Checksum-* headers)
   * are verified before anything is kept.
   */
  async deploy(principal: Principal, path: ArtifactFile, body: Readable, declared: Partial<Record<ChecksumAlgorithm, string>>, ctx: RequestContext, signal?: AbortSignal) {
    const name = packageName(path);
    const snapshot = isSnapshot(path.version);
    if (!snapshot && (await this.hosted.file(name, path.filename))) throw releaseExists(path);
    const received = await receiveFile(this.hosted.blobs, body, signal);
    return this.hosted.storeFile({
      principal,
      ctx,
      name,
      version: path.version,
      filename: path.filename,
      received,
      declared,
      existing: snapshot ? 'replace' : { refuse: releaseExists(path).message },
      validate: path.extension === 'pom' ? (digest, size) => this.checkPom(path, digest, size) : undefined,
    });
  }

  /**
   * A checksum companion a client uploads beside a file: verified against the stored file's checksum. On
   * a mismatch the file itself is removed (its bytes are not what the client sent), so nothing wrong is
   * kept. Companions of maven-metadata.xml describe the client's copy, which is not kept: they are only
   * checked to be checksums.
   */
  async putChecksum(principal: Principal, path: MavenPath & { kind: 'checksum' }, text: string, ctx: RequestContext): Promise<void> {
    const value = parseChecksum(path.algorithm, text);
    if (path.of.kind === 'metadata') return;
    const file = await this.hosted.file(packageName(path.of), path.of.filename);
    if (!file) throw Errors.conflict(`Deploy ${path.of.filename} before its ${path.algorithm} checksum`);
    const expected = file.checksums[path.algorithm];
    if (value !== expected) {
      await this.hosted.deleteFile(principal, packageName(path.of), path.of.filename, ctx);
      throw Errors.conflict(`${path.algorithm} checksum ${value} does not match ${path.of.filename} as stored (${expected}): the file was removed, deploy it again`);
    }
  }

  /**
   * A maven-metadata.xml a client uploads after deploying. It must be well-formed and about this artifact;
   * it is then reconciled with what is stored, which always wins: the document served is computed.
   */
  async putMetadata(path: MavenPath & { kind: 'metadata' }, body: Readable): Promise<void> {
    const text = (await readBounded(body, MAX_XML_BYTES, () => Errors.payloadTooLarge(MAX_XML_BYTES))).toString('utf8');
    const { root, node } = parseXml(text, METADATA_FILE);
    if (root !== 'metadata') throw Errors.validation(`${METADATA_FILE} must have a <metadata> root element, not <${root}>`);
    const { groupId, artifactId } = path.coordinates;
    const mismatch = (field: string, expected: string) => {
      const value = childText(node, field);
      if (value !== undefined && value !== expected) throw Errors.validation(`${METADATA_FILE} names ${field} ${value}, but its path is for ${expected}`);
    };
    mismatch('groupId', groupId);
    mismatch('artifactId', artifactId);
    if (path.version) mismatch('version', path.version);
  }

  /** Deletes a version (audited); `flyreg gc` frees its bytes. */
  deleteVersion(principal: Principal, c: Coordinates, version: string, ctx: RequestContext) {
    return this.hosted.deleteVersion(principal, packageName(c), version, ctx);
  }

  deleteFile(principal: Principal, path: ArtifactFile, ctx: RequestContext) {
    return this.hosted.deleteFile(principal, packageName(path), path.filename, ctx);
  }

  /** Whether `groupId:artifactId:version` holds at least one file (releases check their artifacts). */
  async versionExists(gav: string): Promise<boolean> {
    const { groupId, artifactId, version } = parseGav(gav);
    const view = await this.hosted.view(packageName({ groupId, artifactId }));
    return view !== undefined && view.filesOf(version).length > 0;
  }

  /** A directory: an artifact's versions, a version's files with their checksums, or group levels. */
  private async listing(segments: string[]): Promise<MavenResource> {
    const path = segments.length ? `${segments.join('/')}/` : '';
    const at = (n: number) => ({ groupId: segments.slice(0, n - 1).join('.'), artifactId: segments[n - 1] as string });
    if (segments.length >= 3) {
      const version = segments[segments.length - 1] as string;
      const view = await this.hosted.view(packageName(at(segments.length - 1)));
      if (view?.version(version)) {
        const entries: ListingEntry[] = [];
        for (const f of view.filesOf(version)) {
          entries.push({ name: f.filename, directory: false, size: f.size, at: f.createdAt });
          for (const a of ['md5', 'sha1', 'sha256', 'sha512']) entries.push({ name: `${f.filename}.${a}`, directory: false });
        }
        if (isSnapshot(version)) entries.push({ name: METADATA_FILE, directory: false });
        return { kind: 'listing', path, entries };
      }
    }
    if (segments.length >= 2) {
      const view = await this.hosted.view(packageName(at(segments.length)));
      if (view) {
        const entries: ListingEntry[] = view.versionsWithFiles().map((v) => ({ name: v.version, directory: true, at: v.createdAt }));
        entries.push({ name: METADATA_FILE, directory: false });
        return { kind: 'listing', path, entries };
      }
    }
    // Group levels: the next segment of every artifact directory below this path.
    const children = new Set<string>();
    for (const name of await this.hosted.names()) {
      const dir = `${artifactDirectory(name)}/`;
      if (dir.startsWith(path)) children.add(dir.slice(path.length).split('/')[0] as string);
    }
    if (children.size === 0 && segments.length > 0) throw Errors.notFound('Directory', path);
    return { kind: 'listing', path, entries: [...children].sort().map((name) => ({ name, directory: true })) };
  }

  private async checkPom(path: ArtifactFile, digest: Digest, size: number): Promise<void> {
    if (size > MAX_XML_BYTES) throw Errors.validation(`${path.filename} is larger than ${MAX_XML_BYTES} bytes, too large for a pom`);
    const text = (await readBounded(await this.deps.blobs.open(digest), MAX_XML_BYTES, () => Errors.payloadTooLarge(MAX_XML_BYTES))).toString('utf8');
    const { root, node } = parseXml(text, path.filename);
    if (root !== 'project') throw Errors.validation(`${path.filename} is not a pom: its root element is <${root}>, not <project>`);
    const artifactId = childText(node, 'artifactId');
    if (artifactId !== undefined && artifactId !== path.artifactId) {
      throw Errors.validation(`${path.filename} names artifactId ${artifactId}, but is deployed as ${path.artifactId}`);
    }
  }
}

/** The artifact (`groupId:artifactId`) a file, checksum or maven-metadata.xml path belongs to. */
function artifactOf(path: Exclude<MavenPath, { kind: 'directory' }>): string {
  if (path.kind === 'checksum') return artifactOf(path.of);
  return packageName(path.kind === 'metadata' ? path.coordinates : path);
}

/** A file, checksum or maven-metadata.xml from its artifact's view (undefined: no such artifact). */
function resolveIn(path: Exclude<MavenPath, { kind: 'directory' }>, view: HostedPackageView | undefined): MavenResource {
  switch (path.kind) {
    case 'file':
      return { kind: 'file', file: fileIn(path, view) };
    case 'metadata':
      return { kind: 'text', text: metadataIn(path.coordinates, path.version, view).text, contentType: 'application/xml' };
    case 'checksum': {
      const checksums = path.of.kind === 'file' ? fileIn(path.of, view).checksums : metadataIn(path.of.coordinates, path.of.version, view).checksums;
      return { kind: 'text', text: checksums[path.algorithm], contentType: 'text/plain' };
    }
  }
}

function fileIn(path: ArtifactFile, view: HostedPackageView | undefined): HostedFile {
  const file = view?.file(path.filename);
  if (!file) throw Errors.notFound('File', path.filename);
  return file;
}

/** A maven-metadata.xml, computed once per stored revision of the artifact (with its checksums). */
function metadataIn(c: Coordinates, version: string | null, view: HostedPackageView | undefined): RenderedDocument {
  const doc =
    view && (version === null ? view.document('artifact', () => artifactMetadata(c, view)) : view.document(`snapshot ${version}`, () => snapshotMetadata(c, version, view.filesOf(version))));
  if (!doc) throw Errors.notFound('Metadata of', version ? `${packageName(c)}:${version}` : packageName(c));
  return doc;
}

const releaseExists = (path: ArtifactFile) =>
  Errors.conflict(`${path.groupId}:${path.artifactId}:${path.version} is a release and ${path.filename} already exists: releases are immutable (deploy a new version, or delete this one first)`);
