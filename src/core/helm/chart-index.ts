import type { Clock } from '../clock.js';
import type { InvalidationBus } from '../invalidation.js';
import type { LoadedPackage, PackageRecord } from '../packages/model.js';
import { VIEW_FRESHNESS_MS } from '../packages/package-views.js';
import type { MetadataStore } from '../ports.js';
import { entityTag } from '../packages/project-cache.js';
import type { ChartMetadata } from './chart-metadata.js';

/** What package_versions.metadata holds for a chart version. */
export interface StoredChartVersion {
  chart: ChartMetadata;
  /** sha256 of the archive, hex, as index.yaml's `digest`. */
  digest: string;
  /** Rows stored before publishers had one record (publications) still carry it; it is no longer written nor read. */
  publishedBy?: string;
}

export interface RenderedIndex {
  text: string;
  etag: string;
}

/** Above this many charts to (re)render at once, one query loads them all instead of one query each. */
const LOAD_ALL_ABOVE = 8;
/** The kind of package rendering (package_renderings) that holds a chart's index.yaml entries. */
const ENTRIES_RENDERING = 'helm-index-entries';

/**
 * One chart's `entries` member of index.yaml (`"name":[…]`, newest version first), or null when no version
 * is left: every version with its Chart.yaml fields, `urls` (relative to the repository, so both mounts
 * work), `digest` (sha256 of the archive) and `created`. JSON is YAML too: helm reads it with its YAML parser.
 */
export function renderChartEntries(loaded: LoadedPackage): string | null {
  const files = new Map(loaded.files.map((f) => [f.versionId, f]));
  const versions: string[] = [];
  for (let i = loaded.versions.length - 1; i >= 0; i--) {
    const v = loaded.versions[i];
    const file = v && files.get(v.id);
    if (!v || !file) continue;
    // Written by upload() only, so a plain shape check suffices here: this loop runs once per version per change.
    const meta = JSON.parse(v.metadata) as Partial<StoredChartVersion>;
    if (typeof meta.chart !== 'object' || meta.chart === null || typeof meta.digest !== 'string') continue;
    versions.push(JSON.stringify({ ...meta.chart, urls: [`charts/${file.filename}`], created: v.createdAt.toISOString(), digest: meta.digest }));
  }
  return versions.length > 0 ? `${JSON.stringify(loaded.package.name)}:[${versions.join(',')}]` : null;
}

/**
 * Stores a chart's entries as they are now, in the transaction of the write that changed the chart (after
 * packageChanged gave it its new revision): a process that starts cold joins the stored entries instead of
 * rendering every version of every chart again. A chart whose last version went is left to its package's
 * deletion, which takes the stored entries with it.
 */
export async function saveChartEntries(tx: MetadataStore, repository: string, name: string): Promise<void> {
  const loaded = await tx.packages.load(repository, name);
  if (!loaded) return;
  // '' stands for "no entries", so that a cold render need not load such a chart to learn it.
  await tx.packages.saveRendering(loaded.package.id, ENTRIES_RENDERING, loaded.package.metadata, renderChartEntries(loaded) ?? '');
}

/** index.yaml from every chart's rendered entries. */
export function renderIndex(entries: readonly string[], generated: Date): string {
  return `{"apiVersion":"v1","entries":{${entries.join(',')}},"generated":${JSON.stringify(generated.toISOString())}}\n`;
}

/** One chart's rendered entries, in the document's order. */
interface ChartEntry {
  name: string;
  json: string;
}

/** The whole document, with what it was rendered from and when that was last confirmed. */
type Whole = RenderedIndex & { checkedAt: number; stamp: string; generated: Date; entries: readonly ChartEntry[] };

interface ChartEntries {
  /** The package row's revision stamp the entries were rendered from. */
  stamp: string;
  json: string | null;
}

/**
 * index.yaml, rendered per chart and kept between writes: a push or delete re-renders only its chart, and
 * the document is the join of the charts' entries. Correct across workers and replicas: a write announces
 * the chart on the invalidation bus (packages/package-views.ts), which marks the index stale in every
 * process at commit; a missed event is bounded by VIEW_FRESHNESS_MS, after which the charts' revision stamps
 * (one query) say which charts changed.
 */
export class ChartIndex {
  private readonly charts = new Map<string, ChartEntries>();
  private rendered: Whole | undefined;

  constructor(
    private readonly deps: { store: MetadataStore; clock: Clock; invalidations: InvalidationBus },
    private readonly repository: string,
  ) {
    deps.invalidations.subscribe((event) => {
      if (event.kind === 'package' && event.repository === repository) this.forget(event.name);
    });
  }

  /** Drops a chart's entries and the document (after a write, or when another process announced one). */
  forget(name: string): void {
    this.charts.delete(name);
    this.rendered = undefined;
  }

  /**
   * The whole index.yaml, or, with `visible`, the one made of the charts it lets through (a scoped token's):
   * joined from the same rendered entries, with its own entity tag, and the whole document's `generated`
   * time so that tag changes only when a visible chart does or the index is re-rendered.
   */
  async index(visible?: (chart: string) => boolean): Promise<RenderedIndex> {
    return this.visibleOf(await this.whole(), visible);
  }

  /** index() when this process holds the document, confirmed recently; undefined when index() would read the store. */
  inMemory(visible?: (chart: string) => boolean): RenderedIndex | undefined {
    const fresh = this.fresh(this.deps.clock.nowMs());
    return fresh && this.visibleOf(fresh, visible);
  }

  private visibleOf(whole: Whole, visible: ((chart: string) => boolean) | undefined): RenderedIndex {
    if (!visible) return whole;
    const text = renderIndex(
      whole.entries.filter((e) => visible(e.name)).map((e) => e.json),
      whole.generated,
    );
    return { text, etag: entityTag(text) };
  }

  /** The document when its charts' stamps were confirmed less than VIEW_FRESHNESS_MS ago. */
  private fresh(now: number): Whole | undefined {
    return this.rendered && now - this.rendered.checkedAt < VIEW_FRESHNESS_MS ? this.rendered : undefined;
  }

  private async whole(): Promise<Whole> {
    const now = this.deps.clock.now();
    const fresh = this.fresh(now.getTime());
    if (fresh) return fresh;
    const packages = await this.deps.store.packages.search(this.repository, { limit: 1_000_000, offset: 0 });
    const stamp = packages.map((p) => `${p.id}:${p.metadata}`).join(',');
    if (this.rendered?.stamp === stamp) {
      this.rendered.checkedAt = now.getTime();
      return this.rendered;
    }
    await this.refresh(packages);
    const entries: ChartEntry[] = [];
    for (const p of packages) {
      const json = this.charts.get(p.name)?.json;
      if (json) entries.push({ name: p.name, json });
    }
    const text = renderIndex(
      entries.map((e) => e.json),
      now,
    );
    this.rendered = { text, etag: entityTag(text), checkedAt: now.getTime(), stamp, generated: now, entries };
    return this.rendered;
  }

  /**
   * Brings the charts whose revision differs from what is cached up to date, and drops deleted charts: from
   * the entries their writes stored (saveChartEntries) when those are of the chart's current revision,
   * otherwise (entries stored before migration 0080, or by an older version) rendered from the versions.
   */
  private async refresh(packages: PackageRecord[]): Promise<void> {
    const stale = new Map(packages.filter((p) => this.charts.get(p.name)?.stamp !== p.metadata).map((p) => [p.name, p.metadata]));
    const present = new Set(packages.map((p) => p.name));
    for (const name of [...this.charts.keys()]) if (!present.has(name)) this.charts.delete(name);
    if (stale.size === 0) return;
    const stored = await this.deps.store.packages.renderings(this.repository, ENTRIES_RENDERING, stale.size > LOAD_ALL_ABOVE ? null : [...stale.keys()]);
    for (const r of stored) {
      if (stale.get(r.name) !== r.revision) continue;
      this.charts.set(r.name, { stamp: r.revision, json: r.body === '' ? null : r.body });
      stale.delete(r.name);
    }
    if (stale.size === 0) return;
    const loaded =
      stale.size > LOAD_ALL_ABOVE
        ? await this.deps.store.packages.loadAll(this.repository)
        : (await Promise.all([...stale.keys()].map((name) => this.deps.store.packages.load(this.repository, name)))).filter((l): l is LoadedPackage => l !== undefined);
    for (const l of loaded) if (stale.has(l.package.name)) this.charts.set(l.package.name, { stamp: l.package.metadata, json: renderChartEntries(l) });
  }
}
