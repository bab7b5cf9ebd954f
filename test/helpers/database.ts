import { createScratchDatabase, type ScratchDatabase } from '../../src/bench/scratch-database.js';

/** Which engine this test run uses: `FLY_TEST_DB=postgres` or `sqlite` (the default). */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.FLY_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';


export type TestDatabase = ScratchDatabase;

/** A fresh, empty database (and data directory) for one test file. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase(TEST_ENGINE, process.env.FLY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
}
