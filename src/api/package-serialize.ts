import type { CatalogDetail, CatalogEntry } from '../core/packages/catalog/model.js';
import type { PackageDetail, PackageEntry } from './answers.js';
import { releaseAnswer } from './serialize.js';

/** The Packages section's core results as the API sends them (answers.ts), times as ISO-8601 strings. */

export const packageEntryAnswer = (e: CatalogEntry): PackageEntry => ({
  protocol: e.protocol,
  name: e.name,
  displayName: e.displayName,
  versionCount: e.versionCount,
  latest: e.latest,
  updatedAt: e.updatedAt.toISOString(),
});

export const packageDetailAnswer = (d: CatalogDetail): PackageDetail => ({
  ...packageEntryAnswer(d.entry),
  versions: d.versions.map((v) => ({
    id: v.id,
    tags: v.tags,
    digest: v.digest,
    size: v.size,
    kind: v.kind,
    platforms: v.platforms,
    createdAt: v.createdAt.toISOString(),
    // The publisher's email stays out of the dashboard's answer; npm clients get it in the packument.
    publishedBy: v.publishedBy && { username: v.publishedBy.username, tokenName: v.publishedBy.tokenName },
    deprecated: v.deprecated,
    yanked: v.yanked,
    install: v.install,
    files: v.files,
  })),
  truncated: d.truncated,
  deployments: d.deployments.map((dep) => ({
    environment: dep.environment.name,
    environmentColor: dep.environment.color,
    digest: dep.digest,
    tag: dep.tag,
    firstSeen: dep.firstSeen.toISOString(),
    lastSeen: dep.lastSeen.toISOString(),
    pullCount: dep.pullCount,
    running: dep.current,
  })),
  releases: d.releases.map((r) => releaseAnswer(r)),
  actions: d.actions,
});
