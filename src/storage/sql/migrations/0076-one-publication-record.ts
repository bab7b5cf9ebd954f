import type { Kysely } from 'kysely';

/**
 * Who published an artifact is kept once, in `publications` (which also carries a CI run's provenance),
 * instead of also as JSON in `package_versions.published_by` and `oci_manifests.published_by`. A publication
 * now keeps the publisher's email at publish time (npm shows it as `_npmUser`). Versions and manifests whose
 * publisher only the old columns knew get a publication from them; then the columns go.
 */

interface Tables {
  publications: {
    type: string;
    name: string;
    reference: string;
    published_at: number;
    actor: string;
    user_id: string;
    token_id: string | null;
    token_name: string | null;
    ci: string | null;
    email: string | null;
  };
  package_versions: { package_id: string; version: string; created_at: number; published_by: string | null };
  packages: { id: string; repository: string; name: string };
  oci_manifests: { repository_id: string; digest: string; created_at: number; published_by: string | null };
  oci_repositories: { id: string; name: string };
  users: { id: string; username: string };
}

interface OldPublisher {
  username?: unknown;
  email?: unknown;
  tokenName?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as Kysely<Tables>;
  await db.schema.alterTable('publications').addColumn('email', 'text').execute();

  const users = new Map((await db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]));
  const known = new Set((await db.selectFrom('publications').select(['type', 'name', 'reference']).execute()).map((p) => `${p.type}\n${p.name}\n${p.reference}`));
  const versions = await db
    .selectFrom('package_versions as v')
    .innerJoin('packages as p', 'p.id', 'v.package_id')
    .select(['p.repository as type', 'p.name as name', 'v.version as reference', 'v.created_at as at', 'v.published_by as publishedBy'])
    .where('v.published_by', 'is not', null)
    .execute();
  const manifests = await db
    .selectFrom('oci_manifests as m')
    .innerJoin('oci_repositories as r', 'r.id', 'm.repository_id')
    .select(['r.name as name', 'm.digest as reference', 'm.created_at as at', 'm.published_by as publishedBy'])
    .where('m.published_by', 'is not', null)
    .execute();
  const rows = [...versions, ...manifests.map((m) => ({ ...m, type: 'oci' }))];
  for (const row of rows) {
    if (known.has(`${row.type}\n${row.name}\n${row.reference}`)) continue;
    let old: OldPublisher;
    try {
      old = JSON.parse(row.publishedBy ?? 'null') as OldPublisher;
    } catch {
      continue;
    }
    const username = text(old?.username);
    const userId = username === null ? undefined : users.get(username);
    if (username === null || userId === undefined) continue;
    const tokenName = text(old.tokenName);
    await db
      .insertInto('publications')
      .values({
        type: row.type,
        name: row.name,
        reference: row.reference,
        published_at: Number(row.at),
        // The token's own username was not kept with the old record: its name stands in.
        actor: tokenName === null ? username : `${username} (token ${tokenName})`,
        user_id: userId,
        token_id: null,
        token_name: tokenName,
        ci: null,
        email: text(old.email),
      })
      .execute();
  }
  await db.schema.alterTable('package_versions').dropColumn('published_by').execute();
  await db.schema.alterTable('oci_manifests').dropColumn('published_by').execute();
}
