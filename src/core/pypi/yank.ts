import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { Errors } from '../errors.js';
import type { MetadataStore } from '../ports.js';
import { normalizeProjectName } from './names.js';
import { touchProject } from '../packages/project-cache.js';
import { readRecord, versionMetadataSchema } from './records.js';
import { PYPI_REPOSITORY } from './repository.js';
import { normalizeVersion } from './versions.js';

export interface YankResult {
  project: string;
  version: string;
  yanked: boolean;
  reason: string | null;
}

/**
 * Yanks a release (reason given, '' for none) or un-yanks it (null): PEP 592, shown on every file of the
 * release. Yanking hides a release from resolution without deleting it, so it needs the `delete` right.
 * Cached index pages of every replica go stale through the project's revision. Audited, like every change
 * to what clients download.
 */
export async function setReleaseYanked(
  deps: { store: MetadataStore; clock: Clock; audit: AuditLog },
  principal: Principal,
  project: string,
  version: string,
  reason: string | null,
  ctx: RequestContext,
): Promise<YankResult> {
  const name = normalizeProjectName(project);
  authorize(principal, 'delete', { kind: 'artifact', protocol: 'pypi', name });
  const now = deps.clock.now();
  const normalized = normalizeVersion(version) ?? version;
  await deps.store.transaction(async (tx) => {
    const pkg = await tx.packages.get(PYPI_REPOSITORY, name);
    const record = pkg && (await tx.packages.version(pkg.id, normalized));
    if (!pkg || !record) throw Errors.notFound('Release', `${name} ${version}`);
    const meta = readRecord(versionMetadataSchema, record.metadata, 'version');
    meta.yanked = reason === null ? null : { reason, at: now.toISOString(), by: actorName(principal) };
    await tx.packages.setVersionMetadata(record.id, JSON.stringify(meta));
    await touchProject(tx, pkg.id, now);
    await deps.audit.record(
      tx.audit,
      { actor: actorName(principal), action: reason === null ? 'package.unyanked' : 'package.yanked', target: { type: 'pypi', id: pkg.id, name }, details: { version: normalized, reason } },
      ctx,
    );
  });
  return { project: name, version: normalized, yanked: reason !== null, reason };
}

/**
 * Deletes a yanked release with its files (PyPI's own rule: delete only what was yanked first, so nobody
 * loses a release pip still resolves by accident). Its blobs become garbage for `flyreg gc`. Audited.
 */
export async function deleteYankedRelease(
  deps: { store: MetadataStore; clock: Clock; audit: AuditLog },
  principal: Principal,
  project: string,
  version: string,
  ctx: RequestContext,
): Promise<{ project: string; version: string; files: number }> {
  const name = normalizeProjectName(project);
  authorize(principal, 'delete', { kind: 'artifact', protocol: 'pypi', name });
  const now = deps.clock.now();
  const normalized = normalizeVersion(version) ?? version;
  return deps.store.transaction(async (tx) => {
    const loaded = await tx.packages.load(PYPI_REPOSITORY, name);
    const record = loaded?.versions.find((v) => v.version === normalized);
    if (!loaded || !record) throw Errors.notFound('Release', `${name} ${version}`);
    if (readRecord(versionMetadataSchema, record.metadata, 'version').yanked === null) {
      throw Errors.conflict(`Release ${name} ${normalized} is not yanked: yank it first, then delete it`);
    }
    const files = loaded.files.filter((f) => f.versionId === record.id).map((f) => f.filename);
    await tx.packages.deleteVersion(record.id);
    await touchProject(tx, loaded.package.id, now);
    await deps.audit.record(
      tx.audit,
      { actor: actorName(principal), action: 'package.unpublished', target: { type: 'pypi', id: loaded.package.id, name }, details: { versions: [normalized], files } },
      ctx,
    );
    return { project: name, version: normalized, files: files.length };
  });
}
