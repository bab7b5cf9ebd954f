import type { Principal, RequestContext } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { SerialFlush } from '../serial-flush.js';
import { imageKey, type ImageRef } from '../releases/ports.js';
import type { AttributedPull, ManifestPull, PullEvent } from './model.js';
import { PullAttribution, type ParentLookup } from './pull-attribution.js';
import type { DeploymentStore } from './ports.js';

export interface PullRecorderOptions {
  clock: Clock;
  /** At most this long between writes: a crash loses at most this much. */
  flushIntervalMs: number;
  /** Write early once this many events wait. */
  batchSize: number;
  /** Beyond this many waiting events (the database is down), new ones are dropped and counted. */
  maxQueued: number;
  /** Which indexes list a fetched manifest; without it every manifest is its own image. */
  parentLookup?: ParentLookup;
  onError(error: unknown): void;
}

/**
 * Records manifest pulls made with environment tokens. `record` only appends to a queue in memory: a pull
 * never waits for the database and never fails because of it. A timer, armed while something waits, writes
 * the queue in batches, through attribution (HEAD + GET = one pull), into the pull events and the deployments
 * aggregate.
 */
export class PullRecorder {
  private queue: PullEvent[] = [];
  /** Attributed events whose write failed: retried first on the next flush. */
  private retry: AttributedPull[] = [];
  private dropped = 0;
  private readonly attribution = new PullAttribution();
  private readonly writes: SerialFlush;

  constructor(
    private readonly store: DeploymentStore,
    private readonly options: PullRecorderOptions,
  ) {
    this.writes = new SerialFlush(() => this.writeBatch(), {
      withinMs: options.flushIntervalMs,
      pending: () => this.queue.length > 0 || this.retry.length > 0 || this.dropped > 0,
    });
  }

  /** Notes a pull if an environment token made it; anything else is not a deployment and is ignored. */
  record(principal: Principal, pull: ManifestPull, ctx: RequestContext): void {
    const token = principal.token;
    if (principal.kind !== 'token' || !token || !principal.environmentId) return;
    const at = this.options.clock.nowMs();
    if (this.attribution.repeats(token.id, pull, ctx, at)) {
      // A repeat is written as its pull's continuation, with the next batch.
      this.writes.due();
      return;
    }
    const event: PullEvent = {
      environmentId: principal.environmentId,
      tokenId: token.id,
      repository: pull.repository,
      tag: pull.tag,
      digest: pull.digest,
      method: pull.method,
      at: new Date(at),
      ip: ctx.ip,
      client: ctx.userAgent,
    };
    if (this.queue.length + this.retry.length >= this.options.maxQueued) {
      this.dropped++;
      return;
    }
    this.queue.push(event);
    this.attribution.queue(event);
    if (this.queue.length === this.options.batchSize) void this.flush();
    else this.writes.due();
  }

  /** Writes what has accumulated; flushes never overlap. */
  flush(): Promise<void> {
    return this.writes.run();
  }

  async stop(): Promise<void> {
    this.writes.stop();
    await this.flush();
  }

  private async writeBatch(): Promise<void> {
    if (this.dropped > 0) {
      this.options.onError(new Error(`pull recording dropped ${this.dropped} events: the queue was full (is the database reachable?)`));
      this.dropped = 0;
    }
    const events = this.queue;
    this.queue = [];
    const attributed = this.attribution.attribute(events, await this.parentsOf(events));
    const continuations = this.attribution.drainContinuations();
    if (attributed.length === 0 && continuations.length === 0 && this.retry.length === 0) return;
    const batch = this.retry.concat(attributed, continuations).sort((a, b) => a.at.getTime() - b.at.getTime());
    this.retry = [];
    try {
      await this.store.recordPulls(batch);
    } catch (error) {
      this.retry = batch.length > this.options.maxQueued ? batch.slice(batch.length - this.options.maxQueued) : batch;
      this.options.onError(error);
    }
    this.attribution.prune(this.options.clock.now());
  }

  private async parentsOf(events: PullEvent[]): Promise<Map<string, Set<string>>> {
    if (!this.options.parentLookup || events.length === 0) return new Map();
    const images = new Map<string, ImageRef>();
    for (const e of events) images.set(imageKey(e), { repository: e.repository, digest: e.digest });
    try {
      return await this.options.parentLookup([...images.values()]);
    } catch (error) {
      // Without parents, a platform manifest counts as its own image: worse attribution, no lost pull.
      this.options.onError(error);
      return new Map();
    }
  }
}
