import type { Command } from 'commander';
import { parseConfig } from '../../server/config.js';

/** Blobs and uploads touched within the last hour are never removed by default. */
const DEFAULT_GRACE_SECONDS = 3600;

export function registerGc(program: Command): void {
  program
    .command('gc')
    .description('remove blobs no manifest, package file or upload references (every protocol), and abandoned uploads; safe while the server runs (FLY_DATA_DIR / FLY_DATABASE_URL)')
    .option('--data-dir <dir>', 'the data directory of the server [FLY_DATA_DIR]')
    .option('--database-url <url>', 'the database of the server [FLY_DATABASE_URL]')
    .option('--grace-seconds <n>', `keep anything touched more recently than this (in-flight uploads and pushes)`, String(DEFAULT_GRACE_SECONDS))
    .option('--dry-run', 'only report what would be removed', false)
    .action(async (options: { dataDir?: string; databaseUrl?: string; graceSeconds: string; dryRun: boolean }) => {
      const graceSeconds = Number(options.graceSeconds);
      if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0) throw new Error('--grace-seconds must be a non-negative integer');
      const config = parseConfig(process.env, { dataDir: options.dataDir, databaseUrl: options.databaseUrl });
      // Loaded on demand, like serve and admin: client commands should not pay for the database drivers.
      const [{ systemClock }, { GarbageCollector }, { openBlobStore }, { openDatabase }, { withLease }, { SqlMetadataStore }, { migrateToLatest }] =
        await Promise.all([
          import('../../core/clock.js'),
          import('../../core/gc/garbage-collector.js'),
          import('../../server/open-blob-store.js'),
          import('../../storage/sql/database.js'),
          import('../../storage/sql/lease.js'),
          import('../../storage/sql/metadata-store.js'),
          import('../../storage/sql/migrate.js'),
        ]);
      const database = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(database);
        const store = new SqlMetadataStore(database);
        // The store the server uses (files or S3), and one collector at a time across replicas and cron jobs.
        const gc = new GarbageCollector({ store, blobs: await openBlobStore(config.blobs), clock: systemClock });
        const run = await withLease(database, 'gc', () =>
          gc.run({ graceMs: graceSeconds * 1000, dryRun: options.dryRun, log: (line) => process.stdout.write(`${line}\n`) }),
        );
        if (!run.acquired) {
          process.stdout.write('Another flyreg gc is running against this database; nothing done.\n');
          return;
        }
        const report = run.value;
        process.stdout.write(
          `${options.dryRun ? 'Would remove' : 'Removed'} ${report.blobsRemoved} blob(s) (${report.bytesRemoved} bytes) and ${report.uploadsRemoved} abandoned upload(s).\n` +
            (report.blobsAdopted > 0 ? `${report.blobsAdopted} stored blob(s) had no bookkeeping yet: tracked now, collected by a later run once the grace period has passed if still unreferenced.\n` : ''),
        );
      } finally {
        await database.close();
      }
    });
}
