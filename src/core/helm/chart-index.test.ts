import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, TEST_ENGINE } from '../../../test/helpers/database.js';
import type { SqlMetadataStore } from '../../storage/sql/metadata-store.js';
import { systemClock } from '../clock.js';
import { InProcessInvalidationBus } from '../invalidation.js';
import { packageChanged } from '../packages/package-views.js';
import type { MetadataStore } from '../ports.js';
import { ChartIndex, saveChartEntries } from './chart-index.js';

const REPOSITORY = 'helm';

describe(`index.yaml from stored chart entries on ${TEST_ENGINE}`, () => {
  let store: SqlMetadataStore;
  let close: () => Promise<void>;
  const deps = () => ({ store, clock: systemClock, invalidations: new InProcessInvalidationBus() });
  const created = new Date('2026-01-01T00:00:00Z');
  let pushes = 0;

  /** Stores a chart version as Charts.upload does; `save: false` leaves out its stored entries (a write before migration 0080). */
  async function push(name: string, version: string, save = true): Promise<void> {
    // A minute apart, so that versions sort by when they were pushed.
    const at = new Date(created.getTime() + ++pushes * 60_000);
    await store.transaction(async (tx: MetadataStore) => {
      const pkg = await tx.packages.ensure(REPOSITORY, name, name, at);
      const row = await tx.packages.insertVersion(pkg.id, version, JSON.stringify({ chart: { apiVersion: 'v2', name, version }, digest: 'cd'.repeat(32) }), at);
      await tx.packages.insertFile(pkg.id, row.id, { filename: `${name}-${version}.tgz`, blobDigest: `sha256:${'cd'.repeat(32)}`, size: 1, metadata: '{}' }, at);
      await packageChanged(deps(), tx, REPOSITORY, name, pkg.id);
      if (save) await saveChartEntries(tx, REPOSITORY, name);
    });
  }

  /** The index's entries as helm reads them (JSON is YAML), without `generated`, which is the render time. */
  const entries = async (index: ChartIndex) => (JSON.parse((await index.index()).text) as { entries: Record<string, { version: string }[]> }).entries;

  beforeAll(async () => {
    ({ store, close } = await openTestStore());
  });
  afterAll(() => close?.());

  it('renders the same entries from what the writes stored as from the versions, and ignores entries of an older revision', async () => {
    for (let i = 0; i < 12; i++) await push(`chart-${i}`, '1.0.0');
    await push('chart-3', '1.1.0');
    await push('unsaved', '0.1.0', false);
    const stored = await store.packages.renderings(REPOSITORY, 'helm-index-entries', null);
    expect(stored.map((r) => r.name)).toEqual([...Array.from({ length: 12 }, (_, i) => `chart-${i}`)].sort());
    // A later write that did not store its entries leaves chart-5's stored ones at an older revision.
    await push('chart-5', '2.0.0', false);

    const cold = await entries(new ChartIndex(deps(), REPOSITORY));
    expect(Object.keys(cold)).toEqual([...Array.from({ length: 12 }, (_, i) => `chart-${i}`), 'unsaved'].sort());
    expect(cold['chart-3']?.map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(cold['chart-5']?.map((v) => v.version)).toEqual(['2.0.0', '1.0.0']);
    expect(cold['unsaved']?.map((v) => v.version)).toEqual(['0.1.0']);
    expect(cold['chart-3']?.[0]).toEqual({
      apiVersion: 'v2',
      name: 'chart-3',
      version: '1.1.0',
      urls: ['charts/chart-3-1.1.0.tgz'],
      created: new Date(created.getTime() + 13 * 60_000).toISOString(),
      digest: 'cd'.repeat(32),
    });
  });

  it('drops a deleted chart’s stored entries with its package', async () => {
    const pkg = await store.packages.get(REPOSITORY, 'chart-0');
    await store.packages.delete(pkg?.id ?? '');
    expect((await store.packages.renderings(REPOSITORY, 'helm-index-entries', ['chart-0', 'chart-1'])).map((r) => r.name)).toEqual(['chart-1']);
    expect(Object.keys(await entries(new ChartIndex(deps(), REPOSITORY)))).not.toContain('chart-0');
  });

  it('after a write, reads back only the changed chart: its stored entries, or its versions when none are stored', async () => {
    const index = new ChartIndex(deps(), REPOSITORY);
    await index.index();
    await push('chart-2', '3.0.0');
    await push('chart-4', '3.0.0', false);
    index.forget('chart-2');
    index.forget('chart-4');
    const after = await entries(index);
    expect(after['chart-2']?.map((v) => v.version)).toEqual(['3.0.0', '1.0.0']);
    expect(after['chart-4']?.map((v) => v.version)).toEqual(['3.0.0', '1.0.0']);
  });
});
