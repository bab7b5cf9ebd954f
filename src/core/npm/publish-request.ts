import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Errors } from '../errors.js';
import { parseInput } from '../validation.js';
import { jsonValueText } from './json-span.js';
import { checkPackageName, checkTag, checkVersion } from './names.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const attachmentSchema = z.looseObject({
  content_type: z.string().optional(),
  data: z.string({ error: 'must be the tarball as a base64 string' }),
  length: z.number({ error: 'must be the tarball length in bytes' }).int().nonnegative(),
});

const manifestSchema = z.looseObject({
  name: z.string({ error: 'must be the package name' }),
  version: z.string({ error: 'must be the version' }),
  dist: z.looseObject({
    integrity: z.string({ error: 'must be the tarball integrity (sha512-…)' }),
    shasum: z.string({ error: 'must be the sha1 of the tarball' }),
  }),
});

const publishSchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string({ error: 'must be the package name' }),
  'dist-tags': z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.unknown()),
  _attachments: z.record(z.string(), z.unknown()),
});

/** One new version, checked against its tarball and ready to store. */
export interface PublishRequest {
  name: string;
  version: string;
  /** The version manifest exactly as the client sent it. */
  manifestText: string;
  tarball: Buffer;
  /** sha256 of the tarball: its address in the blob store. */
  sha256: string;
  integrity: string;
  shasum: string;
  /** dist-tags to point at the new version. */
  tags: string[];
}

const bad = (message: string, path = '(root)') => Errors.validation(message, [{ path, message }]);

/**
 * Reads an npm publish body (`PUT /<name>`): exactly one new version and its tarball as a base64
 * attachment. Checks the names agree (URL, body, manifest, attachment filename), the base64 is clean, and
 * the decoded bytes match the declared length, sha512 integrity and sha1 shasum. Throws validation errors.
 */
export function parsePublishRequest(urlName: string, text: string, body: unknown): PublishRequest {
  const parsed = parseInput(publishSchema, body, 'Publish body');
  const name = checkPackageName(parsed.name);
  if (name !== urlName) throw bad(`Package name in the body (${name}) does not match the URL (${urlName})`, 'name');
  if (parsed._id !== undefined && parsed._id !== name) throw bad(`_id (${parsed._id}) does not match the package name (${name})`, '_id');

  const versionKeys = Object.keys(parsed.versions);
  if (versionKeys.length !== 1) throw bad(`Publish exactly one version at a time (got ${versionKeys.length})`, 'versions');
  const version = checkVersion(versionKeys[0] as string);
  const manifest = parseInput(manifestSchema, parsed.versions[version], `Manifest of ${version}`);
  if (manifest.name !== name) throw bad(`Manifest name (${manifest.name}) does not match the package name (${name})`, `versions.${version}.name`);
  if (manifest.version !== version) throw bad(`Manifest version (${manifest.version}) does not match its key (${version})`, `versions.${version}.version`);

  const expectedFile = `${name}-${version}.tgz`;
  const attachmentKeys = Object.keys(parsed._attachments);
  if (attachmentKeys.length !== 1 || attachmentKeys[0] !== expectedFile) {
    throw bad(`Attach exactly one tarball named ${JSON.stringify(expectedFile)} (got ${JSON.stringify(attachmentKeys.slice(0, 3))})`, '_attachments');
  }
  const attachment = parseInput(attachmentSchema, parsed._attachments[expectedFile], 'Attachment');
  if (attachment.data.length % 4 !== 0 || !BASE64.test(attachment.data)) throw bad('Attachment data is not valid base64', '_attachments.data');
  const tarball = Buffer.from(attachment.data, 'base64');
  if (tarball.length === 0) throw bad('Attachment is empty', '_attachments.data');
  if (tarball.length !== attachment.length) {
    throw bad(`Attachment is ${tarball.length} bytes but declares length ${attachment.length}`, '_attachments.length');
  }
  checkIntegrity(tarball, manifest.dist.integrity, manifest.dist.shasum, version);

  const tags = Object.entries(parsed['dist-tags'] ?? {}).map(([tag, target]) => {
    checkTag(tag);
    if (target !== version) throw bad(`dist-tag ${tag} must point at the version being published (${version}), not ${target}`, 'dist-tags');
    return tag;
  });
  const manifestText = jsonValueText(text, ['versions', version]);
  if (manifestText === undefined) throw new Error('a parsed version has no text in its own document');
  return {
    name,
    version,
    manifestText,
    tarball,
    sha256: createHash('sha256').update(tarball).digest('hex'),
    integrity: manifest.dist.integrity,
    shasum: manifest.dist.shasum,
    tags: tags.length > 0 ? tags : ['latest'],
  };
}

/** SRI: at least one sha512 entry, and every sha512 entry must match; the legacy sha1 shasum must match. */
function checkIntegrity(tarball: Buffer, integrity: string, shasum: string, version: string): void {
  const sha512 = integrity
    .trim()
    .split(/\s+/)
    .filter((entry) => entry.startsWith('sha512-'))
    .map((entry) => entry.slice('sha512-'.length).split('?')[0]);
  if (sha512.length === 0) throw bad(`dist.integrity of ${version} must include a sha512- hash`, 'dist.integrity');
  const actual512 = createHash('sha512').update(tarball).digest('base64');
  if (!sha512.every((h) => h === actual512)) {
    throw bad(`Tarball does not match dist.integrity of ${version}: its sha512 is sha512-${actual512}`, 'dist.integrity');
  }
  const actual1 = createHash('sha1').update(tarball).digest('hex');
  if (shasum.toLowerCase() !== actual1) throw bad(`Tarball does not match dist.shasum of ${version}: its sha1 is ${actual1}`, 'dist.shasum');
}
