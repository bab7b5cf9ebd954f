import type { Kysely } from 'kysely';

/**
 * Garbage collection for every protocol (issue 15):
 * - `package_file_blobs`: blobs a package file's metadata points at besides its own (PyPI's PEP 658 core
 *   metadata), kept as long as the file; backfilled from the PyPI file metadata stored so far.
 * - every blob a package file uses gets its bookkeeping row in `oci_blobs` (which now tracks every
 *   protocol's blobs, see core/oci/ports.ts), touched now: such blobs are collected once nothing
 *   references them and a grace period has passed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('package_file_blobs')
    .addColumn('file_id', 'text', (c) => c.notNull().references('package_files.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_file_blobs_pk', ['file_id', 'digest'])
    .execute();
  await db.schema.createIndex('package_file_blobs_digest').on('package_file_blobs').column('digest').execute();

  const typed = db as Kysely<{
    packages: { id: string; repository: string };
    package_files: { id: string; package_id: string; blob_digest: string; metadata: string };
    package_file_blobs: { file_id: string; digest: string };
    oci_blobs: { digest: string; size: number | null; created_at: number; touched_at: number };
  }>;
  const pypiFiles = await typed
    .selectFrom('package_files')
    .innerJoin('packages', 'packages.id', 'package_files.package_id')
    .select(['package_files.id', 'package_files.metadata'])
    .where('packages.repository', '=', 'pypi')
    .execute();
  for (const file of pypiFiles) {
    const sha256 = coreMetadataSha256(file.metadata);
    if (sha256) await typed.insertInto('package_file_blobs').values({ file_id: file.id, digest: `sha256:${sha256}` }).execute();
  }

  const now = Date.now();
  const digests = [
    ...(await typed.selectFrom('package_files').select('blob_digest as digest').distinct().execute()),
    ...(await typed.selectFrom('package_file_blobs').select('digest').distinct().execute()),
  ].map((r) => r.digest);
  for (const digest of new Set(digests)) {
    await typed
      .insertInto('oci_blobs')
      .values({ digest, size: null, created_at: now, touched_at: now })
      .onConflict((oc) => oc.column('digest').doNothing())
      .execute();
  }
}

function coreMetadataSha256(metadata: string): string | undefined {
  try {
    const parsed = JSON.parse(metadata) as { coreMetadata?: { sha256?: unknown } | null };
    const sha256 = parsed.coreMetadata?.sha256;
    return typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) ? sha256 : undefined;
  } catch {
    return undefined;
  }
}
