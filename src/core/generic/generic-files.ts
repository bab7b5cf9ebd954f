import type { Readable } from 'node:stream';
import type { Principal, RequestContext } from '../auth/principal.js';
import { Errors } from '../errors.js';
import { receiveFile, type ChecksumAlgorithm } from '../hosted-files/checksums.js';
import { HostedPackages, type Download, type HostedFile, type HostedPackagesDeps } from '../hosted-files/hosted-packages.js';
import type { ListingEntry } from '../hosted-files/listing.js';
import { pathSegments, VERSION } from '../hosted-files/paths.js';

/** A generic path, classified: `<name>/<version>/<file>`, or a listing of names, versions or files. */
export type GenericPath =
  | { kind: 'file'; name: string; version: string; file: string }
  | { kind: 'version'; name: string; version: string }
  | { kind: 'name'; name: string }
  | { kind: 'root' };

/** Parses a path below the generic mount; `..` and odd characters are refused before anything else. */
export function parseGenericPath(path: string): GenericPath {
  const [name, version, file, ...rest] = pathSegments(path);
  if (rest.length > 0) throw Errors.validation('Generic paths are <name>/<version>/<file>: a file name has no "/"');
  if (version !== undefined && !VERSION.test(version)) throw Errors.validation(`Invalid version ${JSON.stringify(version.slice(0, 80))}: at most 128 characters`);
  if (name === undefined) return { kind: 'root' };
  if (version === undefined) return { kind: 'name', name };
  if (file === undefined) return { kind: 'version', name, version };
  return { kind: 'file', name, version, file };
}

/** `name@version` or `name@version/file`, as releases and `flyreg download` name generic files. */
export function parseNameAtVersion(text: string): { name: string; version: string; file?: string } {
  const at = text.indexOf('@');
  const path = at > 0 ? parseGenericPath(`${text.slice(0, at)}/${text.slice(at + 1)}`) : undefined;
  if (path?.kind === 'file') return { name: path.name, version: path.version, file: path.file };
  if (path?.kind === 'version') return { name: path.name, version: path.version };
  throw Errors.validation(`Invalid generic artifact ${JSON.stringify(text.slice(0, 200))}: use name@version or name@version/file`);
}

/**
 * Generic files: any bytes under `<name>/<version>/<file>`, in the shared package model (a package per
 * name, a version per version; file names are stored as `<version>/<file>` because a package's file names
 * are unique and several versions ship a file of the same name). Versions are immutable: a file that
 * exists is never replaced (delete the version, or the file, first); new files may join a version.
 */
export class GenericFiles {
  readonly hosted: HostedPackages;

  constructor(deps: HostedPackagesDeps) {
    this.hosted = new HostedPackages(deps, 'generic');
  }

  async file(name: string, version: string, file: string): Promise<HostedFile> {
    const found = await this.hosted.file(name, `${version}/${file}`);
    if (!found) throw Errors.notFound('File', `${name}/${version}/${file}`);
    return found;
  }

  /** file() when this process holds the package's view; undefined when file() would read the store, or it is not there. */
  fileInMemory(name: string, version: string, file: string): HostedFile | undefined {
    return this.hosted.viewInMemory(name)?.file(`${version}/${file}`);
  }

  open(file: HostedFile, range: string | undefined): Promise<Download> {
    return this.hosted.open(file, range);
  }

  /** open() when the file's bytes are in memory. */
  openInMemory(file: HostedFile, range: string | undefined): Download | undefined {
    return this.hosted.openInMemory(file, range);
  }

  async upload(
    principal: Principal,
    path: { name: string; version: string; file: string },
    body: Readable,
    declared: Partial<Record<ChecksumAlgorithm, string>>,
    ctx: RequestContext,
    signal?: AbortSignal,
  ) {
    const filename = `${path.version}/${path.file}`;
    const refuse = `${path.name} ${path.version} already has ${path.file}: versions are immutable (delete it first, or upload a new version)`;
    if (await this.hosted.file(path.name, filename)) throw Errors.conflict(refuse);
    const received = await receiveFile(this.hosted.blobs, body, signal);
    return this.hosted.storeFile({ principal, ctx, name: path.name, version: path.version, filename, received, declared, existing: { refuse } });
  }

  deleteVersion(principal: Principal, name: string, version: string, ctx: RequestContext) {
    return this.hosted.deleteVersion(principal, name, version, ctx);
  }

  deleteFile(principal: Principal, path: { name: string; version: string; file: string }, ctx: RequestContext) {
    return this.hosted.deleteFile(principal, path.name, `${path.version}/${path.file}`, ctx);
  }

  async versionExists(name: string, version: string): Promise<boolean> {
    return (await this.files(name, version)).length > 0;
  }

  /** The files of a version (their names without the version prefix), for listings and share links. */
  async files(name: string, version: string): Promise<{ file: string; record: HostedFile['record'] }[]> {
    const view = await this.hosted.view(name);
    return (view?.filesOf(version) ?? []).map((f) => ({ file: f.filename.slice(version.length + 1), record: f }));
  }

  /** A listing: every name, a name's versions, or a version's files. */
  async listing(path: GenericPath): Promise<ListingEntry[]> {
    switch (path.kind) {
      case 'root':
        return (await this.hosted.names()).map((name) => ({ name, directory: true }));
      case 'name': {
        const view = await this.hosted.view(path.name);
        if (!view) throw Errors.notFound('Generic package', path.name);
        return view.versionsWithFiles().map((v) => ({ name: v.version, directory: true, at: v.createdAt }));
      }
      case 'version':
      case 'file': {
        const files = await this.files(path.name, path.version);
        if (files.length === 0) throw Errors.notFound('Version', `${path.name} ${path.version}`);
        return files.map(({ file, record }) => ({ name: file, directory: false, size: record.size, at: record.createdAt }));
      }
    }
  }
}
