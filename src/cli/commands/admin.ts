import type { Command } from 'commander';
import { parseConfig } from '../../server/config.js';
import { readStdin } from '../prompt.js';

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('offline administration, straight against the database (FLY_DATABASE_URL / FLY_DATA_DIR)');
  admin
    .command('reset-password')
    .description('create an admin or reset its password (and re-activate it); the new password is read from stdin')
    .requiredOption('--username <name>', 'the admin to create or reset')
    .option('--password-stdin', 'read the password from standard input (the only way: never on the command line)', true)
    .action(async (options: { username: string }) => {
      const config = parseConfig(process.env);
      // Loaded on demand, like serve: client commands should not pay half a second for the database drivers.
      const [{ createCore }, { PROTOCOLS }, { openBlobStore }, { openDatabase }, { SqlMetadataStore }, { migrateToLatest }, { PgInvalidationBus }] =
        await Promise.all([
          import('../../core/core.js'),
          import('../../protocols/registry.js'),
          import('../../server/open-blob-store.js'),
          import('../../storage/sql/database.js'),
          import('../../storage/sql/metadata-store.js'),
          import('../../storage/sql/migrate.js'),
          import('../../storage/sql/pg-invalidation-bus.js'),
        ]);
      const database = openDatabase(config.databaseUrl);
      try {
        await migrateToLatest(database);
        const store = new SqlMetadataStore(database);
        const core = createCore(store, {
          protocols: PROTOCOLS,
          blobs: await openBlobStore(config.blobs),
          // On PostgreSQL, running servers hear about the reset (NOTIFY) and re-read the admin's tokens.
          // Publishing needs no listening connection, so the bus is never started here.
          ...(database.engine === 'postgres'
            ? { invalidations: new PgInvalidationBus(database, { connectionString: config.databaseUrl, onError: () => undefined }) }
            : {}),
          publicUrl: config.publicUrl ?? new URL('http://localhost'),
          sessionTtlMs: config.sessionTtlMs,
          tokenCacheTtlMs: 0,
          authFailures: config.authFailures,
          usageFlushMs: 60_000,
          onBackgroundError: () => undefined,
        });
        const outcome = await core.users.resetPassword(options.username, await readStdin());
        await core.stop();
        process.stdout.write(`${outcome === 'created' ? 'Created' : 'Reset the password of'} admin ${options.username}; their sessions were logged out.\n`);
      } finally {
        await database.close();
      }
    });
}
