import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.js';
import { openDatabase, type SqlDatabase } from '../database.js';
import { SqlMetadataStore } from '../metadata-store.js';
import { migrateToLatest } from '../migrate.js';

/** The tables as they were before 0076 (publishers also kept as JSON next to versions and manifests). */
interface Before {
  users: { id: string; username: string; email: string; role: string; status: string; password_hash: string | null; created_at: number };
  packages: { id: string; repository: string; name: string; display_name: string; metadata: string; created_at: number; updated_at: number };
  package_versions: { id: string; package_id: string; version: string; metadata: string; created_at: number; published_by: string | null };
  oci_repositories: { id: string; name: string; created_at: number };
  oci_manifests: { repository_id: string; digest: string; media_type: string; size: number; created_at: number; published_by: string | null };
  publications: { type: string; name: string; reference: string; published_at: number; actor: string; user_id: string; token_id: string | null; token_name: string | null; ci: string | null };
}

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('migration 0076: one record of who published what', () => {
  let testDb: TestDatabase;
  let database: SqlDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = openDatabase(testDb.url);
    await migrateToLatest(database, '0075-share-links');
    const db = database.db as unknown as Kysely<Before>;
    await db.insertInto('users').values({ id: 'u1', username: 'dana', email: 'dana@example.com', role: 'developer', status: 'active', password_hash: null, created_at: 1 }).execute();
    await db.insertInto('packages').values({ id: 'p1', repository: 'npm', name: 'left-pad', display_name: 'left-pad', metadata: '{}', created_at: 1, updated_at: 1 }).execute();
    const version = (v: string, publishedBy: string | null) => ({ id: `v-${v}`, package_id: 'p1', version: v, metadata: '{}', created_at: 1000, published_by: publishedBy });
    await db
      .insertInto('package_versions')
      .values([
        version('1.0.0', JSON.stringify({ username: 'dana', email: 'dana@old.example.com', tokenName: 'ci' })),
        version('1.1.0', JSON.stringify({ username: 'dana', email: null, tokenName: null })),
        version('1.2.0', null),
      ])
      .execute();
    // 1.1.0 already has a publication (with its CI run): that one stays the record, not a copy.
    await db.insertInto('publications').values({ type: 'npm', name: 'left-pad', reference: '1.1.0', published_at: 2000, actor: 'dana (token ci-x)', user_id: 'u1', token_id: null, token_name: 'from ci', ci: null }).execute();
    await db.insertInto('oci_repositories').values({ id: 'r1', name: 'shop/api', created_at: 1 }).execute();
    await db
      .insertInto('oci_manifests')
      .values({ repository_id: 'r1', digest: DIGEST, media_type: 'application/vnd.oci.image.manifest.v1+json', size: 10, created_at: 3000, published_by: JSON.stringify({ username: 'dana', tokenName: 'pusher' }) })
      .execute();
    await migrateToLatest(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('moves publishers only the old columns knew into publications, and drops the columns', async () => {
    const store = new SqlMetadataStore(database);
    const loaded = await store.packages.load('npm', 'left-pad');
    const byVersion = Object.fromEntries((loaded?.versions ?? []).map((v) => [v.version, v.publishedBy && (JSON.parse(v.publishedBy) as unknown)]));
    expect(byVersion).toEqual({
      '1.0.0': { username: 'dana', email: 'dana@old.example.com', tokenName: 'ci' },
      '1.1.0': { username: 'dana', email: null, tokenName: 'from ci' },
      '1.2.0': null,
    });
    const pushed = await store.publications.list({ type: 'oci', name: 'shop/api', limit: 10 });
    expect(pushed).toMatchObject([{ artifact: { type: 'oci', repository: 'shop/api', digest: DIGEST }, actor: 'dana (token pusher)', tokenName: 'pusher', publishedAt: new Date(3000) }]);
    expect((await store.publications.list({ type: 'npm', name: 'left-pad', limit: 10 })).map((p) => p.artifact)).toHaveLength(2);
    const columns = async (table: string) => (await database.db.introspection.getTables()).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
    expect(await columns('package_versions')).not.toContain('published_by');
    expect(await columns('oci_manifests')).not.toContain('published_by');
  });
});
