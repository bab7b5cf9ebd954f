import type { BlobStore, Digest } from '../blob-store.js';
import { Errors } from '../errors.js';
import { readStoredTarGzEntry } from '../archives/gzip-tar-entry.js';
import { parseChartYaml, type ChartMetadata } from './chart-metadata.js';

const LIMITS = { maxChartYamlBytes: 1024 * 1024, maxScanBytes: 256 * 1024 * 1024, maxEntries: 20_000 };

/**
 * Reads and checks a stored chart archive: a gzip tar with one top-level directory holding Chart.yaml
 * (no absolute or `..` paths), whose name is that directory's.
 */
export async function readChartArchive(blobs: BlobStore, digest: Digest): Promise<ChartMetadata> {
  let top: string | undefined;
  const chartYaml = await readStoredTarGzEntry(blobs, digest, {
    what: 'chart',
    wanted: (path) => top !== undefined && path === `${top}/Chart.yaml`,
    refuse: (path) => {
      const first = path.split('/')[0] ?? '';
      top ??= first;
      if (path.startsWith('/') || path.split('/').includes('..')) return `${JSON.stringify(path)} leaves the chart's directory`;
      if (first !== top) return `${JSON.stringify(path)} is outside the chart directory ${top}/`;
      return null;
    },
    maxEntryBytes: LIMITS.maxChartYamlBytes,
    maxScanBytes: LIMITS.maxScanBytes,
    maxEntries: LIMITS.maxEntries,
  });
  if (!chartYaml) throw Errors.validation('Invalid chart: no <chart>/Chart.yaml inside');
  const metadata = parseChartYaml(chartYaml);
  if (metadata.name !== top) throw Errors.validation(`Invalid chart: Chart.yaml names chart ${metadata.name}, but the archive's directory is ${top}/`);
  return metadata;
}
