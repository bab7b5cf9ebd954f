import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core/core.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { FilesystemBlobStore } from '../storage/blobs/filesystem-blob-store.js';
import { openDatabase } from '../storage/sql/database.js';
import { SqlMetadataStore } from '../storage/sql/metadata-store.js';
import { migrateToLatest } from '../storage/sql/migrate.js';

export interface InProcessCore {
  core: Core;
  store: SqlMetadataStore;
  close(): Promise<void>;
}

/**
 * Core over a migrated real database, in this process, for benchmarks that time core's services without
 * HTTP in the way. Blobs go to a scratch directory: the sections that use this never touch them.
 */
export async function openInProcessCore(databaseUrl: string, options: Partial<CoreOptions> = {}): Promise<InProcessCore> {
  const database = openDatabase(databaseUrl);
  await migrateToLatest(database);
  const store = new SqlMetadataStore(database);
  const core = createCore(store, {
    protocols: PROTOCOLS,
    blobs: new FilesystemBlobStore(join(tmpdir(), 'flyreg-bench-unused-blobs')),
    publicUrl: new URL('http://localhost:8080'),
    sessionTtlMs: 3600_000,
    tokenCacheTtlMs: 5000,
    authFailures: { max: 1_000_000, windowMs: 60_000 },
    usageFlushMs: 1000,
    onBackgroundError: (error) => process.stderr.write(`bench: background write failed: ${String(error)}\n`),
    ...options,
  });
  return {
    core,
    store,
    close: async () => {
      await core.stop();
      await store.close();
    },
  };
}
