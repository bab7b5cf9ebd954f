import type { PublicationService } from '../releases/publications.js';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { authorize } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { BlobStore, Digest } from '../blob-store.js';
import type { Clock } from '../clock.js';
import { Errors, isAppError } from '../errors.js';
import type { LoadedPackage } from '../packages/model.js';
import { discardCreated, storeUpload, type StoredUpload } from '../packages/stored-upload.js';
import type { MetadataStore } from '../ports.js';
import { touchProject } from '../pypi/project-cache.js';
import { readChartArchive } from './chart-archive.js';
import { chartFilename, type ChartMetadata } from './chart-metadata.js';

export const HELM_REPOSITORY = 'helm';
export const MAX_CHART_BYTES = 20 * 1024 * 1024;
/** How long index.yaml is served before the stored revisions are checked again (writes here clear it at once). */
const INDEX_FRESHNESS_MS = 1000;

/** What package_versions.metadata holds for a chart version. */
interface StoredChartVersion {
  chart: ChartMetadata;
  /** sha256 of the archive, hex, as index.yaml's `digest`. */
  digest: string;
  /** Rows stored before publishers had one record (publications) still carry it; it is no longer written nor read. */
  publishedBy?: string;
}

export interface RenderedIndex {
  text: string;
  etag: string;
  /** What the cache was built from: every chart's revision. */
  stamp: string;
  checkedAt: number;
}

/**
 * index.yaml from what is stored: every chart version with its Chart.yaml fields, `urls` (relative to
 * the repository, so both mounts work), `digest` (sha256 of the archive) and `created`. Written as JSON,
 * which is YAML too: helm reads it with its YAML parser, and it renders in a few milliseconds.
 */
export function renderIndex(charts: LoadedPackage[], generated: Date): string {
  const entries: Record<string, unknown[]> = {};
  for (const loaded of charts) {
    const files = new Map(loaded.files.map((f) => [f.versionId, f]));
    const versions: unknown[] = [];
    for (const v of [...loaded.versions].reverse()) {
      const file = files.get(v.id);
      // Written by upload() only, so a plain shape check suffices here: this loop runs 5,000 times per render.
      const meta = JSON.parse(v.metadata) as Partial<StoredChartVersion>;
      if (!file || typeof meta.chart !== 'object' || meta.chart === null || typeof meta.digest !== 'string') continue;
      versions.push({ ...meta.chart, urls: [`charts/${file.filename}`], created: v.createdAt.toISOString(), digest: meta.digest });
    }
    if (versions.length > 0) entries[loaded.package.name] = versions;
  }
  return `${JSON.stringify({ apiVersion: 'v1', entries, generated: generated.toISOString() })}\n`;
}

export interface ChartsDeps {
  store: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  /** Records who published each version (the one record the Packages section and releases read). */
  publications: PublicationService;
}

/**
 * Helm charts over the shared package model (a package per chart name, a version per chart version with
 * its archive). index.yaml is rendered from storage once per change and served from memory in between.
 */
export class Charts {
  private cached: RenderedIndex | undefined;

  constructor(private readonly deps: ChartsDeps) {}

  async index(): Promise<RenderedIndex> {
    const now = this.deps.clock.now();
    if (this.cached && now.getTime() - this.cached.checkedAt < INDEX_FRESHNESS_MS) return this.cached;
    const packages = await this.deps.store.packages.search(HELM_REPOSITORY, { limit: 1_000_000, offset: 0 });
    const stamp = packages.map((p) => `${p.id}:${p.metadata}`).join(',');
    if (this.cached && this.cached.stamp === stamp) {
      this.cached.checkedAt = now.getTime();
      return this.cached;
    }
    const text = renderIndex(await this.deps.store.packages.loadAll(HELM_REPOSITORY), now);
    this.cached = { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`, stamp, checkedAt: now.getTime() };
    return this.cached;
  }

  async file(filename: string): Promise<{ digest: Digest; size: number }> {
    const match = /^(.+)-(v?[0-9]+\.[0-9]+\.[0-9]+.*)\.tgz$/.exec(filename);
    // A chart name may hold dashes: find the package by the file record instead of guessing the split.
    for (let i = filename.indexOf('-'); match && i > 0; i = filename.indexOf('-', i + 1)) {
      const record = await this.deps.store.packages.file(HELM_REPOSITORY, filename.slice(0, i), filename);
      if (record) return { digest: record.blobDigest, size: record.size };
    }
    throw Errors.notFound('Chart', filename);
  }

  /**
   * Stores an uploaded chart archive: Chart.yaml is read from the archive and must match `filename` when
   * the client named the file (PUT); versions are immutable. Nothing stays visible on failure.
   */
  async upload(principal: Principal, body: Readable, filename: string | null, ctx: RequestContext): Promise<ChartMetadata> {
    let stored: StoredUpload | undefined;
    try {
      stored = await storeUpload(this.deps.blobs, body, MAX_CHART_BYTES);
      const chart = await readChartArchive(this.deps.blobs, stored.digest);
      const expected = chartFilename(chart.name, chart.version);
      if (filename !== null && filename !== expected) {
        throw Errors.validation(`Chart.yaml says ${chart.name} ${chart.version}, so the file must be named ${expected}, not ${filename}`);
      }
      const digest = stored.digest.slice('sha256:'.length);
      const file = stored;
      const now = this.deps.clock.now();
      await this.deps.store.transaction(async (tx) => {
        const pkg = await tx.packages.ensure(HELM_REPOSITORY, chart.name, chart.name, now);
        if (await tx.packages.version(pkg.id, chart.version)) throw Errors.conflict(`${chart.name} ${chart.version} already exists: chart versions are immutable`);
        const row = await tx.packages.insertVersion(pkg.id, chart.version, JSON.stringify({ chart, digest } satisfies StoredChartVersion), now);
        await tx.packages.insertFile(pkg.id, row.id, { filename: expected, blobDigest: file.digest, size: file.size, metadata: '{}' }, now);
        await touchProject(tx, pkg.id, now);
        await this.deps.audit.record(
          tx.audit,
          { actor: actorName(principal), action: 'package.published', target: { type: 'helm', id: pkg.id, name: chart.name }, details: { version: chart.version, digest } },
          ctx,
        );
      });
      await this.deps.publications.record(principal, { type: 'helm', name: chart.name, version: chart.version }, ctx);
      this.cached = undefined;
      return chart;
    } catch (error) {
      if (!(isAppError(error) && error.code === 'conflict')) await discardCreated(this.deps.blobs, [stored]);
      throw error;
    }
  }

  /** Deletes a chart version (ChartMuseum's DELETE); its archive becomes garbage for `flyreg gc`. */
  async deleteVersion(principal: Principal, name: string, version: string, ctx: RequestContext): Promise<void> {
    authorize(principal, 'delete', { kind: 'artifact', protocol: 'helm', name });
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const pkg = await tx.packages.get(HELM_REPOSITORY, name);
      const row = pkg && (await tx.packages.version(pkg.id, version));
      if (!pkg || !row) throw Errors.notFound('Chart version', `${name} ${version}`);
      await tx.packages.deleteVersion(row.id);
      const left = await tx.packages.load(HELM_REPOSITORY, name);
      if (left && left.versions.length === 0) await tx.packages.delete(pkg.id);
      else await touchProject(tx, pkg.id, now);
      await this.deps.audit.record(
        tx.audit,
        { actor: actorName(principal), action: 'package.unpublished', target: { type: 'helm', id: pkg.id, name }, details: { removedVersions: [version] } },
        ctx,
      );
    });
    this.cached = undefined;
  }
}
