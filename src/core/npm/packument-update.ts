import { z } from 'zod';
import { Errors } from '../errors.js';
import type { LoadedPackage } from '../packages/model.js';
import { parseInput } from '../validation.js';
import { checkTag } from './names.js';
import type { NpmPackageState } from './package-state.js';

/**
 * npm changes a package by sending back the whole packument it read, edited: `npm deprecate` sets
 * `versions[v].deprecated`, `npm unpublish <pkg>@<v>` drops the version and fixes dist-tags. Only those
 * edits are taken from it; everything else in a version is the published manifest and stays as stored.
 */
const updateSchema = z.looseObject({
  _rev: z.string().optional(),
  'dist-tags': z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.looseObject({ deprecated: z.string().max(1024, 'must be at most 1024 characters').optional() })),
});

export interface PackumentChanges {
  /** Versions to unpublish. */
  remove: string[];
  /** Deprecation message per kept version after the change ("" = not deprecated). */
  deprecated: Record<string, string>;
  /** The complete dist-tags after the change. */
  tags: Record<string, string>;
}

export function planPackumentUpdate(loaded: LoadedPackage, state: NpmPackageState, body: unknown): PackumentChanges {
  const parsed = parseInput(updateSchema, body, 'Packument update');
  const current = loaded.versions.map((v) => v.version);
  const added = Object.keys(parsed.versions).filter((v) => !current.includes(v));
  if (added.length > 0) {
    throw Errors.validation(`Unknown version(s) ${added.slice(0, 5).join(', ')}: publish new versions with their tarball (npm publish)`, [
      { path: 'versions', message: 'unknown version' },
    ]);
  }
  const kept = current.filter((v) => v in parsed.versions);
  const remove = current.filter((v) => !(v in parsed.versions));

  const deprecated: Record<string, string> = {};
  for (const v of kept) {
    const message = parsed.versions[v]?.deprecated ?? state.deprecated[v] ?? '';
    if (message) deprecated[v] = message;
  }

  const tags: Record<string, string> = {};
  const requested = parsed['dist-tags'] ?? Object.fromEntries(loaded.tags.map((t) => [t.tag, t.version]));
  for (const [tag, version] of Object.entries(requested)) {
    checkTag(tag);
    if (kept.includes(version)) tags[tag] = version;
    else if (parsed['dist-tags']) {
      throw Errors.validation(`dist-tag ${tag} points at ${version}, which is not a version of this package after the change`, [
        { path: 'dist-tags', message: 'unknown version' },
      ]);
    }
  }
  // Installs resolve `latest` by default: keep it pointing somewhere while versions remain.
  const newest = kept.at(-1);
  if (!tags.latest && newest) tags.latest = newest;
  return { remove, deprecated, tags };
}
