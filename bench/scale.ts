import { startS3rver } from '../test/support/s3rver-process.js';
import { measureRevocationPropagation } from './scale-revocation.js';
import { measureS3Pulls } from './scale-pulls.js';
import { createScratchDatabase, postgresAnswers } from '../test/support/scratch-database.js';
import type { BenchResult, BenchSection } from './section.js';

/** The targets: revocation reaches every replica in < 1 s, typically < 100 ms. */
const MAX_PROPAGATION_MS = 1000;
const TYPICAL_PROPAGATION_MS = 100;

/** Scale-out: image-layer pulls from an S3-compatible store (s3rver) with and without redirect, and revocation between two replicas on PostgreSQL. */
export const scaleSection: BenchSection = {
  name: 'scale',
  async run() {
    const rows: BenchResult[] = [];
    const s3 = await startS3rver('fly-bench');
    try {
      const pulls = await measureS3Pulls(s3);
      const size = `${pulls.blobBytes / 1024 / 1024} MiB layer`;
      rows.push(
        { metric: `pull of a ${size} from S3 (s3rver), streamed by the server (best of 3)`, value: pulls.streamedMBps, unit: 'MiB/s' },
        { metric: `pull of a ${size} from S3 (s3rver), 307 to a pre-signed URL (FLY_BLOB_REDIRECT)`, value: pulls.redirectedMBps, unit: 'MiB/s' },
      );

      const pgAdminUrl = process.env.FLY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      if (!(await postgresAnswers(pgAdminUrl))) {
        process.stderr.write(`bench scale: PostgreSQL does not answer at ${pgAdminUrl}; no replica figures (replicas need PostgreSQL)\n`);
        return rows;
      }
      const database = await createScratchDatabase('postgres', pgAdminUrl, 'flybench');
      try {
        const p = await measureRevocationPropagation(database.url, database.dataDir, s3);
        rows.push(
          {
            metric: `revocation propagation A → B, median of ${p.samples}`,
            value: p.medianMs,
            unit: 'ms',
            target: `< ${TYPICAL_PROPAGATION_MS} ms`,
            ok: p.medianMs < TYPICAL_PROPAGATION_MS,
          },
          { metric: `revocation propagation A → B, worst of ${p.samples}`, value: p.maxMs, unit: 'ms', target: `< ${MAX_PROPAGATION_MS} ms`, ok: p.maxMs < MAX_PROPAGATION_MS },
        );
      } finally {
        await database.drop();
      }
    } finally {
      await s3.stop();
    }
    return rows;
  },
};
