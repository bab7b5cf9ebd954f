import type { ProtocolServiceDeps } from '../protocols.js';
import type { Readable } from 'node:stream';
import { authorize, isAllowed, reachesEveryName, type Resource } from '../auth/authorize.js';
import { actorName, type Principal, type RequestContext } from '../auth/principal.js';
import type { Digest } from '../blob-store.js';
import { Errors, isAppError } from '../errors.js';
import { discardCreated, storeUpload, type StoredUpload } from '../packages/stored-upload.js';
import { packageChanged, unpublishVersion } from '../packages/package-views.js';
import { ChartIndex, saveChartEntries, type RenderedIndex, type StoredChartVersion } from './chart-index.js';
import { readChartArchive } from './chart-archive.js';
import { chartFilename, type ChartMetadata } from './chart-metadata.js';

export const HELM_REPOSITORY = 'helm';
/** The protocol id charts are authorized under. */
const HELM_PROTOCOL = 'helm';
/**
 * What the routes acting on no one chart authorize (a listing, grants.ts): any grant on a chart reaches
 * them, and the service then decides per chart (the index shows, a download or upload authorizes, one chart).
 */
export const HELM_LISTING = ':charts';

const chartResource = (name: string): Resource => ({ kind: 'artifact', protocol: HELM_PROTOCOL, name });
/** The charts a caller sees in index.yaml: all of them (the shared document as it is), or those it may pull. */
function visibleTo(principal: Principal): ((chart: string) => boolean) | undefined {
  return reachesEveryName(principal, 'pull', HELM_PROTOCOL) ? undefined : (name) => isAllowed(principal, 'pull', chartResource(name));
}

export const MAX_CHART_BYTES = 20 * 1024 * 1024;
/** What every protocol's service is built from (core/protocols.ts), less the public URL it does not use. */
export type ChartsDeps = Omit<ProtocolServiceDeps, 'publicUrl'>;

/**
 * Helm charts over the shared package model (a package per chart name, a version per chart version with
 * its archive). index.yaml is rendered from storage once per change and served from memory in between.
 */
export class Charts {
  private readonly renderedIndex: ChartIndex;

  constructor(private readonly deps: ChartsDeps) {
    this.renderedIndex = new ChartIndex(deps, HELM_REPOSITORY);
  }

  /**
   * index.yaml and its entity tag, re-rendered only for the charts that changed since it was last served.
   * A caller who may pull every chart gets the shared document as it is; a scoped one, the charts it may pull.
   */
  index(principal: Principal): Promise<RenderedIndex> {
    return this.renderedIndex.index(visibleTo(principal));
  }

  /** index() when this process holds the document; undefined when index() would read the store. */
  indexInMemory(principal: Principal): RenderedIndex | undefined {
    return this.renderedIndex.inMemory(visibleTo(principal));
  }

  /** A chart archive by its file name, when the caller may pull the chart it belongs to (the route only checks the protocol). */
  async file(principal: Principal, filename: string): Promise<{ digest: Digest; size: number }> {
    const match = /^(.+)-(v?[0-9]+\.[0-9]+\.[0-9]+.*)\.tgz$/.exec(filename);
    // A chart name may hold dashes: find the package by the file record instead of guessing the split.
    for (let i = filename.indexOf('-'); match && i > 0; i = filename.indexOf('-', i + 1)) {
      const chart = filename.slice(0, i);
      const record = await this.deps.store.packages.file(HELM_REPOSITORY, chart, filename);
      if (record) {
        authorize(principal, 'pull', chartResource(chart));
        return { digest: record.blobDigest, size: record.size };
      }
    }
    // A missing file answers as an existing one would for the chart its name most likely belongs to, so a
    // scoped token cannot tell which charts outside its scope exist.
    authorize(principal, 'pull', chartResource(match?.[1] ?? filename));
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
      // The route only checked that the caller may push some chart: this one is named by its Chart.yaml.
      authorize(principal, 'push', chartResource(chart.name));
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
        await packageChanged(this.deps, tx, HELM_REPOSITORY, chart.name, pkg.id);
        await saveChartEntries(tx, HELM_REPOSITORY, chart.name);
        await this.deps.audit.record(
          tx.audit,
          { actor: actorName(principal), action: 'package.published', target: { type: 'helm', id: pkg.id, name: chart.name }, details: { version: chart.version, digest } },
          ctx,
        );
      });
      await this.deps.publications.record(principal, { type: 'helm', name: chart.name, version: chart.version }, ctx);
      this.renderedIndex.forget(chart.name);
      return chart;
    } catch (error) {
      if (!(isAppError(error) && error.code === 'conflict')) await discardCreated(this.deps.blobs, [stored]);
      throw error;
    }
  }

  /** Deletes a chart version (ChartMuseum's DELETE); its archive becomes garbage for `flyreg gc`. */
  async deleteVersion(principal: Principal, name: string, version: string, ctx: RequestContext): Promise<void> {
    authorize(principal, 'delete', chartResource(name));
    await this.deps.store.transaction(async (tx) => {
      await unpublishVersion(this.deps, tx, { repository: HELM_REPOSITORY, name: name, version, principal, ctx, notFound: () => Errors.notFound('Chart version', `${name} ${version}`) });
      await saveChartEntries(tx, HELM_REPOSITORY, name);
    });
    this.renderedIndex.forget(name);
  }
}
