import type { LoadedPackage, VersionRecord } from '../packages/model.js';
import { readPublisher, type Publisher } from '../packages/publisher.js';
import { tarballFilename } from './names.js';
import { readPackageState, revisionOf, type NpmPackageState } from './package-state.js';

type Json = Record<string, unknown>;

/** The fields npm's abbreviated ("corgi") packument keeps per version: what an install needs. */
const ABBREVIATED_FIELDS = [
  'name',
  'version',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'acceptDependencies',
  'bin',
  'directories',
  'engines',
  'cpu',
  'os',
  'libc',
  'funding',
  'license',
  '_hasShrinkwrap',
] as const;

/** Package-level fields of the full packument, taken from the latest version's manifest. */
const DESCRIPTIVE_FIELDS = ['description', 'readme', 'readmeFilename', 'homepage', 'keywords', 'repository', 'author', 'bugs', 'license', 'maintainers'] as const;

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

export type PackumentKind = 'full' | 'abbreviated';

/**
 * Builds a packument from the shared package model. `tarballBase` is where tarballs are served
 * (`<public url><npm prefix>`), applied at read time so a changed public URL is reflected at once.
 */
export function assemblePackument(loaded: LoadedPackage, kind: PackumentKind, tarballBase: string): Json {
  const { package: pkg } = loaded;
  const state = readPackageState(pkg.metadata);
  const distTags: Record<string, string> = {};
  for (const t of loaded.tags) distTags[t.tag] = t.version;
  const versions: Record<string, Json> = {};
  const manifests = new Map<string, Json>();
  for (const v of loaded.versions) {
    const manifest = versionManifest(v, pkg.name, state, tarballBase);
    manifests.set(v.version, manifest);
    versions[v.version] = kind === 'full' ? manifest : abbreviate(manifest);
  }
  const modified = pkg.updatedAt.toISOString();
  if (kind === 'abbreviated') return { name: pkg.name, modified, 'dist-tags': distTags, versions };

  const time: Record<string, string> = { created: pkg.createdAt.toISOString(), modified };
  for (const v of loaded.versions) time[v.version] = v.createdAt.toISOString();
  const latestVersion = distTags.latest ?? loaded.versions.at(-1)?.version;
  const latest = (latestVersion && manifests.get(latestVersion)) || {};
  const packument: Json = { _id: pkg.name, _rev: revisionOf(pkg.id, state), name: pkg.name };
  for (const field of DESCRIPTIVE_FIELDS) if (latest[field] !== undefined) packument[field] = latest[field];
  // As npmjs does: the package's maintainers are who published it here (`npm owner ls` reads them).
  const maintainers = publishersOf(loaded.versions);
  if (maintainers.length > 0) packument.maintainers = maintainers;
  Object.assign(packument, { 'dist-tags': distTags, versions, time });
  return packument;
}

/** A stored manifest with the registry's view applied: the tarball URL and the deprecation message. */
function versionManifest(v: VersionRecord, name: string, state: NpmPackageState, tarballBase: string): Json {
  const manifest = JSON.parse(v.metadata) as Json;
  const dist = typeof manifest.dist === 'object' && manifest.dist !== null ? (manifest.dist as Json) : {};
  manifest.dist = { ...dist, tarball: `${tarballBase}${name}/-/${tarballFilename(name, v.version)}` };
  const publisher = readPublisher(v.publishedBy);
  if (publisher) manifest._npmUser = npmPerson(publisher);
  const deprecated = state.deprecated[v.version];
  if (deprecated) manifest.deprecated = deprecated;
  else delete manifest.deprecated;
  return manifest;
}

/** npm's person shape: `{name, email}`; email only when known. */
function npmPerson(publisher: Publisher): Json {
  return publisher.email ? { name: publisher.username, email: publisher.email } : { name: publisher.username };
}

/** Distinct publishers, most recent version's first. */
function publishersOf(versions: VersionRecord[]): Json[] {
  const seen = new Map<string, Json>();
  for (const v of [...versions].reverse()) {
    const publisher = readPublisher(v.publishedBy);
    if (publisher && !seen.has(publisher.username)) seen.set(publisher.username, npmPerson(publisher));
  }
  return [...seen.values()];
}

function abbreviate(manifest: Json): Json {
  const out: Json = {};
  for (const field of ABBREVIATED_FIELDS) if (manifest[field] !== undefined) out[field] = manifest[field];
  out.dist = manifest.dist;
  if (manifest.deprecated) out.deprecated = manifest.deprecated;
  const scripts = typeof manifest.scripts === 'object' && manifest.scripts !== null ? (manifest.scripts as Json) : {};
  if (manifest.hasInstallScript === true || INSTALL_SCRIPTS.some((s) => typeof scripts[s] === 'string')) out.hasInstallScript = true;
  return out;
}
