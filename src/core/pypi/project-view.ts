import type { LoadedPackage } from '../packages/model.js';
import { fileMetadataSchema, readRecord, versionMetadataSchema, type PypiFileMetadata, type ReleaseInfo } from './records.js';
import { parseVersion, sortVersions } from './versions.js';

export interface FileView {
  filename: string;
  version: string;
  size: number;
  uploadedAt: Date;
  meta: PypiFileMetadata;
  /** false, or the yank reason ('' when none was given): PEP 592 applies per file, PyPI yanks per release. */
  yanked: false | string;
}

export interface ReleaseView {
  version: string;
  info: ReleaseInfo;
  yanked: false | string;
  files: FileView[];
}

/** One project as every PyPI page sees it: releases oldest first, files in upload order within each. */
export interface ProjectView {
  name: string;
  displayName: string;
  releases: ReleaseView[];
  files: FileView[];
}

export function projectView(loaded: LoadedPackage): ProjectView {
  const byId = new Map<string, ReleaseView>();
  for (const v of loaded.versions) {
    const meta = readRecord(versionMetadataSchema, v.metadata, 'version');
    byId.set(v.id, { version: v.version, info: meta.info, yanked: meta.yanked ? meta.yanked.reason : false, files: [] });
  }
  for (const f of loaded.files) {
    const release = byId.get(f.versionId);
    if (!release) continue;
    release.files.push({
      filename: f.filename,
      version: release.version,
      size: f.size,
      uploadedAt: f.createdAt,
      meta: readRecord(fileMetadataSchema, f.metadata, 'file'),
      yanked: release.yanked,
    });
  }
  const order = sortVersions([...byId.values()].map((r) => r.version));
  const byVersion = new Map([...byId.values()].map((r) => [r.version, r]));
  const releases = order.map((v) => byVersion.get(v) as ReleaseView);
  return {
    name: loaded.package.name,
    displayName: loaded.package.displayName,
    releases,
    files: releases.flatMap((r) => r.files),
  };
}

/**
 * The release the JSON API describes by default: the newest final release that is not yanked, else the
 * newest non-yanked one, else the newest (PyPI's choice).
 */
export function latestRelease(view: ProjectView): ReleaseView | undefined {
  const newestFirst = [...view.releases].reverse();
  const isFinal = (r: ReleaseView) => {
    const v = parseVersion(r.version);
    return v !== null && v.pre === null && v.dev === null;
  };
  return newestFirst.find((r) => !r.yanked && isFinal(r)) ?? newestFirst.find((r) => !r.yanked) ?? newestFirst[0];
}

