import { Errors } from '../errors.js';
import { normalizeProjectName } from './names.js';
import { normalizeVersion } from './versions.js';

export type DistributionKind = 'bdist_wheel' | 'sdist';

export interface DistributionFilename {
  kind: DistributionKind;
  /** The project name as spelled in the filename. */
  name: string;
  /** The version as spelled in the filename. */
  version: string;
  /** Wheel python tag (e.g. `py3`), or `source` for an sdist: PyPI's `python_version` field. */
  pythonTag: string;
}

export const MAX_FILENAME_LENGTH = 255;

/**
 * A distribution filename is a single path segment of a safe alphabet: no separators, no `..`, no leading
 * dot, nothing that could escape a directory or a URL path when we later serve it.
 */
const SAFE_FILENAME = /^[A-Za-z0-9][A-Za-z0-9._+!-]*$/;

// {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl (the wheel spec)
const WHEEL = /^(?<name>[^-]+)-(?<version>[^-]+)(?:-(?<build>[0-9][^-]*))?-(?<py>[^-]+)-(?<abi>[^-]+)-(?<platform>[^-]+)\.whl$/;
const SDIST_SUFFIX = '.tar.gz';

/** Refuses anything that is not a plain, safe file name. */
export function assertSafeFilename(filename: string): void {
  if (filename.length === 0 || filename.length > MAX_FILENAME_LENGTH || !SAFE_FILENAME.test(filename) || filename.includes('..')) {
    throw Errors.validation(
      `Invalid filename ${JSON.stringify(filename.slice(0, MAX_FILENAME_LENGTH))}: it must be a plain file name of letters, digits and . _ + ! -`,
    );
  }
}

/**
 * Parses a wheel or sdist filename and checks it names the given project and version (both compared in
 * their normalised forms). Throws a validation error saying what is wrong.
 */
export function parseDistributionFilename(filename: string, project: string, version: string): DistributionFilename {
  assertSafeFilename(filename);
  const wantName = normalizeProjectName(project);
  const wantVersion = normalizeVersion(version);
  if (filename.endsWith('.whl')) {
    const g = WHEEL.exec(filename)?.groups;
    if (!g?.name || !g.version || !g.py) {
      throw Errors.validation(`Invalid wheel filename ${filename}: expected {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`);
    }
    checkNameAndVersion(filename, g.name, g.version, wantName, wantVersion);
    return { kind: 'bdist_wheel', name: g.name, version: g.version, pythonTag: g.py };
  }
  if (filename.endsWith(SDIST_SUFFIX)) {
    const stem = filename.slice(0, -SDIST_SUFFIX.length);
    // Older sdists keep dashes in the name (my-pkg-1.0.tar.gz): try each dash as the name/version split.
    for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
      const name = stem.slice(0, i);
      const fileVersion = stem.slice(i + 1);
      if (normalizeProjectName(name) === wantName && normalizeVersion(fileVersion) === wantVersion) {
        return { kind: 'sdist', name, version: fileVersion, pythonTag: 'source' };
      }
    }
    throw Errors.validation(`Filename ${filename} does not match project ${project} version ${version}: expected ${project}-${version}.tar.gz`);
  }
  throw Errors.validation(`Unsupported file type ${filename}: upload a wheel (.whl) or an sdist (.tar.gz)`);
}

function checkNameAndVersion(filename: string, name: string, fileVersion: string, wantName: string, wantVersion: string | null): void {
  if (normalizeProjectName(name) !== wantName) {
    throw Errors.validation(`Filename ${filename} is for project ${name}, not ${wantName}`);
  }
  if (normalizeVersion(fileVersion) !== wantVersion) {
    throw Errors.validation(`Filename ${filename} is for version ${fileVersion}, not ${wantVersion ?? '(invalid)'}`);
  }
}
