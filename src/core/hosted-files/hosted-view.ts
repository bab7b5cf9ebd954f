import { z } from 'zod';
import type { FileRecord, LoadedPackage, VersionRecord } from '../packages/model.js';
import { checksumsOf, type Checksums } from './checksums.js';

const fileMetadataSchema = z.object({
  checksums: z.object({ md5: z.string(), sha1: z.string(), sha256: z.string(), sha512: z.string() }),
  deployedBy: z.string(),
});

export interface HostedFile {
  record: FileRecord;
  checksums: Checksums;
  /** When it was stored, as an HTTP date (Last-Modified), formatted once per revision. */
  lastModified: string;
}

/** A document computed from a package (maven-metadata.xml) with the checksums its companions serve. */
export interface RenderedDocument {
  text: string;
  checksums: Checksums;
}

export function fileChecksums(record: FileRecord): Checksums {
  return fileMetadataSchema.parse(JSON.parse(record.metadata)).checksums;
}

/**
 * One stored revision of a hosted package (Maven artifact, generic name), as GETs read it: files by name
 * with their checksums parsed once, versions by name, and the documents computed from it rendered once.
 * Built by PackageViews per revision, so nothing here is ever stale: a write makes a new view.
 */
export class HostedPackageView {
  private readonly byFilename = new Map<string, FileRecord>();
  private readonly parsed = new Map<string, HostedFile>();
  private readonly versionsByName = new Map<string, VersionRecord>();
  private readonly documents = new Map<string, RenderedDocument | null>();

  constructor(readonly loaded: LoadedPackage) {
    for (const f of loaded.files) this.byFilename.set(f.filename, f);
    for (const v of loaded.versions) this.versionsByName.set(v.version, v);
  }

  /** A stored file by name, its checksums parsed (and its date formatted) on first use. */
  file(filename: string): HostedFile | undefined {
    let file = this.parsed.get(filename);
    if (file === undefined) {
      const record = this.byFilename.get(filename);
      if (record === undefined) return undefined;
      file = { record, checksums: fileChecksums(record), lastModified: record.createdAt.toUTCString() };
      this.parsed.set(filename, file);
    }
    return file;
  }

  version(version: string): VersionRecord | undefined {
    return this.versionsByName.get(version);
  }

  /** The files of a version, in deploy order. */
  filesOf(version: string): FileRecord[] {
    const record = this.versionsByName.get(version);
    return record ? this.loaded.files.filter((f) => f.versionId === record.id) : [];
  }

  /** Versions holding at least one file, in deploy order. */
  versionsWithFiles(): VersionRecord[] {
    const withFiles = new Set(this.loaded.files.map((f) => f.versionId));
    return this.loaded.versions.filter((v) => withFiles.has(v.id));
  }

  /** A document computed from this revision, once (with its checksums); undefined when `render` has none. */
  document(key: string, render: () => string | undefined): RenderedDocument | undefined {
    let doc = this.documents.get(key);
    if (doc === undefined) {
      const text = render();
      doc = text === undefined ? null : { text, checksums: checksumsOf(text) };
      this.documents.set(key, doc);
    }
    return doc ?? undefined;
  }
}
