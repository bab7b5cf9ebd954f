import type { Deployment } from '../../environments/model.js';
import type { Release } from '../../releases/model.js';
import type { Publisher } from '../publisher.js';

/**
 * What Fly Web's Packages section shows, the same shape for every protocol: a list of entries and, per
 * entry, its versions (OCI: top-level manifests with their tags; npm/PyPI: versions with their dist-tags).
 */
export interface CatalogEntry {
  /** The protocol's id (`oci`, `npm`, `pypi`, …), as its provider names it. */
  protocol: string;
  /** The name lookups use (OCI repository, npm name, PEP 503-normalised PyPI name). */
  name: string;
  displayName: string;
  /** Versions (npm, PyPI) or tagged manifests (OCI). */
  versionCount: number;
  /** The version or tag a plain install or pull gets, when there is one. */
  latest: string | null;
  updatedAt: Date;
}

/** Keyset position in the merged, name-ordered list: strictly after (name, protocol). */
export interface CatalogCursor {
  name: string;
  protocol: string;
}

export interface CatalogQuery {
  /** Case-insensitive substring of the name. */
  text?: string;
  limit: number;
  after?: CatalogCursor;
}

export interface OciPlatform {
  os: string;
  architecture: string;
  variant: string | null;
  digest: string;
}

export interface CatalogVersion {
  /** The version (npm, PyPI) or the manifest digest (OCI). */
  id: string;
  /** npm dist-tags or OCI tags pointing here. */
  tags: string[];
  digest: string | null;
  /** Bytes: the files of the version, or a manifest with every blob (and child manifest) it references. */
  size: number;
  /** OCI: `image`, `index` or the artifact type; npm/PyPI: the file kinds (`tarball`, `wheel`, `sdist`). */
  kind: string;
  platforms: OciPlatform[];
  createdAt: Date;
  publishedBy: Publisher | null;
  /** npm deprecation message. */
  deprecated: string | null;
  /** PyPI yank: the reason ('' when none was given). */
  yanked: string | null;
  /** The command that installs or pulls exactly this version. */
  install: string;
  files: { filename: string; size: number; digest: string }[];
}

/** One deployment of the package's image, with its environment. */
export interface CatalogDeployment extends Deployment {
  environment: { name: string; color: string | null };
  /** Whether this run is what the environment runs now. */
  current: boolean;
}

export interface CatalogDetail {
  entry: CatalogEntry;
  versions: CatalogVersion[];
  /** True when only the newest versions are listed (see VERSIONS_SHOWN). */
  truncated: boolean;
  /** Where it runs (OCI): every environment's runs of this repository, newest first. */
  deployments: CatalogDeployment[];
  /** Releases that contain this package (newest first): also how a CI run that published it is found. */
  releases: Release[];
  /** What the caller may do here, by protocol action name (`delete`, `deprecate`, `yank`…). */
  actions: string[];
}
