import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { openDatabase } from '../../src/storage/sql/database.js';
import { SqlMetadataStore } from '../../src/storage/sql/metadata-store.js';
import { migrateToLatest } from '../../src/storage/sql/migrate.js';

/** Which engine this test run uses: `FLY_TEST_DB=postgres` or `sqlite` (the default). */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.FLY_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export type TestDatabase = ScratchDatabase;

/** A fresh, empty database (and data directory) for one test file. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase(TEST_ENGINE, process.env.FLY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
}

/** A migrated metadata store on a fresh test database, for store tests; `close` also drops the database. */
export async function openTestStore(): Promise<{ store: SqlMetadataStore; close: () => Promise<void> }> {
  const testDb = await createTestDatabase();
  try {
    const database = openDatabase(testDb.url);
    await migrateToLatest(database);
    const store = new SqlMetadataStore(database);
    return {
      store,
      close: async () => {
        await store.close();
        await testDb.drop();
      },
    };
  } catch (error) {
    await testDb.drop();
    throw error;
  }
}
