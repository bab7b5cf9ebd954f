import type { HostedPackageView } from '../hosted-files/hosted-view.js';
import type { FileRecord } from '../packages/model.js';
import { isSnapshot, parseMavenPath, type Coordinates } from './layout.js';
import { buildXml, type XmlNode } from './xml.js';

/** Maven's timestamp format for lastUpdated and updated: yyyyMMddHHmmss, UTC. */
export function mavenTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const latestAt = (files: FileRecord[]) => new Date(Math.max(0, ...files.map((f) => f.createdAt.getTime())));

/**
 * The artifact-level maven-metadata.xml, computed from the versions stored: in deploy order, `latest` the
 * last deployed, `release` the last deployed release. Two CI jobs deploying at once can never drop each
 * other's version, since nothing here comes from a client's copy of the document.
 */
export function artifactMetadata(c: Coordinates, view: HostedPackageView): string {
  const versions = view.versionsWithFiles().map((v) => v.version);
  const releases = versions.filter((v) => !isSnapshot(v));
  const versioning: XmlNode = {};
  if (versions.length > 0) versioning.latest = versions[versions.length - 1] as string;
  if (releases.length > 0) versioning.release = releases[releases.length - 1] as string;
  versioning.versions = { version: versions };
  versioning.lastUpdated = mavenTimestamp(latestAt(view.loaded.files));
  return buildXml({ metadata: { '@_modelVersion': '1.1.0', groupId: c.groupId, artifactId: c.artifactId, versioning } });
}

interface SnapshotFile {
  classifier: string | null;
  extension: string;
  value: string;
  timestamp: string | null;
  buildNumber: number;
  at: Date;
}

/**
 * A SNAPSHOT version's maven-metadata.xml: the newest timestamped build (`snapshot`), and for each
 * classifier and extension the newest file (`snapshotVersions`), which is what a consumer resolves.
 * Undefined when the version holds no file.
 */
export function snapshotMetadata(c: Coordinates, version: string, files: FileRecord[]): string | undefined {
  const parsed: SnapshotFile[] = [];
  for (const file of files) {
    const path = parseMavenPath(`${c.groupId.replace(/\./g, '/')}/${c.artifactId}/${version}/${file.filename}`);
    if (path.kind !== 'file') continue;
    const value = path.snapshot ? `${version.slice(0, -'SNAPSHOT'.length)}${path.snapshot.timestamp}-${path.snapshot.buildNumber}` : version;
    parsed.push({
      classifier: path.classifier,
      extension: path.extension,
      value,
      timestamp: path.snapshot?.timestamp ?? null,
      buildNumber: path.snapshot?.buildNumber ?? 0,
      at: file.createdAt,
    });
  }
  if (parsed.length === 0) return undefined;
  const newer = (a: SnapshotFile, b: SnapshotFile) => a.buildNumber > b.buildNumber || (a.buildNumber === b.buildNumber && a.at > b.at);
  const newest = new Map<string, SnapshotFile>();
  let top: SnapshotFile | undefined;
  for (const f of parsed) {
    const key = `${f.classifier ?? ''}\n${f.extension}`;
    const seen = newest.get(key);
    if (!seen || newer(f, seen)) newest.set(key, f);
    if (f.timestamp && (!top || newer(f, top))) top = f;
  }
  const versioning: XmlNode = {};
  if (top?.timestamp) versioning.snapshot = { timestamp: top.timestamp, buildNumber: String(top.buildNumber) };
  versioning.lastUpdated = mavenTimestamp(latestAt(files));
  versioning.snapshotVersions = {
    snapshotVersion: [...newest.values()].map((f) => {
      const entry: XmlNode = {};
      if (f.classifier) entry.classifier = f.classifier;
      entry.extension = f.extension;
      entry.value = f.value;
      entry.updated = mavenTimestamp(f.at);
      return entry;
    }),
  };
  return buildXml({ metadata: { '@_modelVersion': '1.1.0', groupId: c.groupId, artifactId: c.artifactId, version, versioning } });
}

