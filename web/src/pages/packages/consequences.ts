import type { PackageDetail, PackageVersion } from '../../api/types';
import { formatRelative } from '../../format/dates';
import { shortDigest } from './protocols';

/** A change a person is about to confirm on one version: what it does and what it breaks. */
export interface PendingChange {
  action: string;
  version: PackageVersion;
  /** OCI: a tag (removes only the tag) rather than the manifest. */
  tag?: string;
}

const list = (items: string[]) => items.join(', ');

/**
 * Everything the package page knows that this change breaks: environments still running the digest,
 * tags that go with it, releases naming it, installs that pin it. Said before the person confirms.
 */
export function consequences(pkg: PackageDetail, change: PendingChange): string[] {
  const v = change.version;
  const out: string[] = [];
  const digests = new Set([v.digest, ...v.platforms.map((p) => p.digest)].filter((d): d is string => d !== null));
  const inRelease = pkg.releases.filter((r) =>
    r.artifacts.some((a) => (a.type === 'oci' ? digests.has(a.digest) : a.type === pkg.protocol && a.name === pkg.name && a.version === v.id)),
  );
  if (pkg.protocol === 'oci') {
    const running = pkg.deployments.filter((d) => d.running && digests.has(d.digest));
    if (change.tag) {
      out.push(`Removes the tag ${change.tag}. The image stays pullable by digest (${shortDigest(v.id)}); pulls of ${pkg.name}:${change.tag} fail.`);
      const pulledByTag = pkg.deployments.filter((d) => d.running && d.tag === change.tag);
      for (const d of pulledByTag) out.push(`${d.environment} pulls this image by the tag ${change.tag} (last ${formatRelative(d.lastSeen)}): its next pull fails.`);
      return out;
    }
    out.push(
      v.tags.length > 0
        ? `Deletes the manifest ${shortDigest(v.id)} and its tags ${list(v.tags)}: pulls of them fail.`
        : `Deletes the untagged manifest ${shortDigest(v.id)}: pulls by this digest fail.`,
    );
    for (const d of running) out.push(`${d.environment} still runs this digest (last pulled ${formatRelative(d.lastSeen)}): a restart or a new node cannot pull it.`);
    if (v.platforms.length > 0) out.push(`The platform images it lists (${list(v.platforms.map((p) => `${p.os}/${p.architecture}`))}) are deleted with it.`);
  } else if (change.action === 'delete') {
    out.push(`Unpublishes ${pkg.displayName}@${v.id}: installs of this exact version and lockfiles that pin it fail.`);
    if (v.tags.length > 0) out.push(`The dist-tags ${list(v.tags)} point at it; they move to the newest remaining version.`);
    if (pkg.versions.length === 1) out.push(`It is the only version: the package ${pkg.displayName} is removed.`);
  } else if (change.action === 'deprecate') {
    out.push(`npm warns with your message on every install of ${pkg.displayName}@${v.id}; installs still work.`);
  } else if (change.action === 'yank') {
    out.push(
      pkg.protocol === 'cargo'
        ? `Cargo stops choosing ${pkg.displayName} ${v.id} for new lockfiles; lockfiles that already name it still build.`
        : `pip stops choosing ${pkg.displayName} ${v.id} unless it is pinned with ==${v.id}; pinned installs still work.`,
    );
  }
  for (const r of inRelease) out.push(`Release ${r.name} ${r.version} contains it.`);
  return out;
}
