import type { RequestContext } from '../auth/principal.js';
import { imageKey, type ImageRef } from '../releases/ports.js';
import { ClientRepositoryMap } from './client-repository-map.js';
import type { AttributedPull, ManifestPull, PullEvent, PullMethod } from './model.js';

/** How long requests of one client for one image count as one pull (kubelet's HEAD then GET, index then platform manifest). */
export const PULL_WINDOW_MS = 60_000;

/** The latest request that repeated a pull or a queued event, kept flat so noting one allocates nothing. */
interface Repeats {
  repeated: boolean;
  lastAt: number;
  lastDigest: string;
  lastMethod: PullMethod;
  lastClient: string | null;
}

/** A pull in progress: the image it is of, the manifests fetched as part of it, and when it began. */
interface OpenPull extends Repeats {
  environmentId: string;
  tokenId: string;
  ip: string | null;
  repository: string;
  imageDigest: string;
  /** Platform manifests attributed to this pull's index: repeating one continues the pull too. */
  members: Set<string>;
  startedAt: number;
}

/** An event queued for attribute(), and the requests that repeated it before it was attributed. */
interface QueuedPull extends Repeats {
  event: PullEvent;
}

/**
 * For manifests clients fetched, the indexes of the same repository that list them, keyed by imageKey() of
 * the fetched manifest. The OCI store answers it in one query per batch.
 */
export type ParentLookup = (images: ImageRef[]) => Promise<Map<string, Set<string>>>;

/**
 * Groups a client's requests into pulls. One client is one token from one address; one pull is every
 * request that client makes for one image within PULL_WINDOW_MS of its first: a HEAD then a GET of the same
 * manifest, or an index then the platform manifest it lists. Only the first request of a pull counts as a
 * new pull; the others are continuations, and a platform manifest is attributed to its index, which is what
 * CI pushed and releases name.
 *
 * Requests are sorted at request time with no allocation where possible (repeats()), and the rest queued for
 * attribute() in batches. A client hammering one image therefore costs a few map lookups per request and one
 * row per batch, also while the first request of a new pull waits in the queue.
 *
 * The state is per process: a HEAD and its GET served by two replicas count as two pulls of the same
 * deployment, which is still one deployment.
 */
export class PullAttribution {
  private readonly open = new ClientRepositoryMap<OpenPull>();
  /** The latest queued event per client and repository, so that requests repeating it fold into it. */
  private readonly queued = new ClientRepositoryMap<QueuedPull>();
  private readonly queuedByEvent = new Map<PullEvent, QueuedPull>();
  private repeatedPulls: OpenPull[] = [];
  /** Continuations of queued events: known once attribute() has decided which image they belong to. */
  private attributedRepeats: AttributedPull[] = [];

  constructor(private readonly windowMs = PULL_WINDOW_MS) {}

  /**
   * The request-time fast path: true when the request repeats the image of a pull this client has open, or
   * an event of this client still queued. It is then only noted (drainContinuations() reports it, once per
   * pull and batch). Anything else returns false: build the event, queue it and pass it to queue().
   */
  repeats(tokenId: string, pull: ManifestPull, ctx: RequestContext, at: number): boolean {
    const open = this.open.get(tokenId, ctx.ip, pull.repository);
    if (open && at - open.startedAt <= this.windowMs && (open.imageDigest === pull.digest || open.members.has(pull.digest))) {
      if (!open.repeated) this.repeatedPulls.push(open);
      noteRepeat(open, pull, ctx, at);
      return true;
    }
    const queued = this.queued.get(tokenId, ctx.ip, pull.repository);
    if (queued && queued.event.digest === pull.digest && at - queued.event.at.getTime() <= this.windowMs) {
      noteRepeat(queued, pull, ctx, at);
      return true;
    }
    return false;
  }

  /** Notes an event just queued for attribute(), so that requests repeating it meanwhile fold into it. */
  queue(event: PullEvent): void {
    const queued: QueuedPull = { event, repeated: false, lastAt: 0, lastDigest: event.digest, lastMethod: event.method, lastClient: null };
    this.queued.set(event.tokenId, event.ip, event.repository, queued);
    this.queuedByEvent.set(event, queued);
  }

  /** Attributes queued events in time order; `parents` is what a ParentLookup said about them. */
  attribute(events: readonly PullEvent[], parents: ReadonlyMap<string, ReadonlySet<string>> = new Map()): AttributedPull[] {
    return events.map((event) => {
      const attributed = this.attributeOne(event, parents);
      const queued = this.queuedByEvent.get(event);
      if (queued) {
        this.queuedByEvent.delete(event);
        this.queued.deleteIf(event.tokenId, event.ip, event.repository, queued);
        if (queued.repeated) this.attributedRepeats.push(continuation(event, queued, attributed.imageDigest));
      }
      return attributed;
    });
  }

  /** The latest repeat of each pull since the last call: one continuation per pull. */
  drainContinuations(): AttributedPull[] {
    const out = this.attributedRepeats;
    for (const open of this.repeatedPulls) {
      out.push(continuation(open, open, open.imageDigest));
      open.repeated = false;
    }
    this.repeatedPulls = [];
    this.attributedRepeats = [];
    return out;
  }

  /** Forgets pulls whose window has closed, so memory follows the number of active clients. */
  prune(now: Date): void {
    this.open.deleteWhere((open) => now.getTime() - open.startedAt > this.windowMs && !open.repeated);
  }

  private attributeOne(event: PullEvent, parents: ReadonlyMap<string, ReadonlySet<string>>): AttributedPull {
    const at = event.at.getTime();
    const open = this.open.get(event.tokenId, event.ip, event.repository);
    if (open && at - open.startedAt <= this.windowMs) {
      if (open.imageDigest === event.digest || open.members.has(event.digest)) {
        return { ...event, imageDigest: open.imageDigest, newPull: false };
      }
      if (parents.get(imageKey(event))?.has(open.imageDigest)) {
        open.members.add(event.digest);
        return { ...event, imageDigest: open.imageDigest, newPull: false };
      }
    }
    this.open.set(event.tokenId, event.ip, event.repository, {
      environmentId: event.environmentId,
      tokenId: event.tokenId,
      ip: event.ip,
      repository: event.repository,
      imageDigest: event.digest,
      members: new Set(),
      startedAt: at,
      repeated: false,
      lastAt: at,
      lastDigest: event.digest,
      lastMethod: event.method,
      lastClient: event.client,
    });
    return { ...event, imageDigest: event.digest, newPull: true };
  }
}

function noteRepeat(target: Repeats, pull: ManifestPull, ctx: RequestContext, at: number): void {
  target.repeated = true;
  target.lastAt = at;
  target.lastDigest = pull.digest;
  target.lastMethod = pull.method;
  target.lastClient = ctx.userAgent;
}

/** The pull event a repeat stands for: who made it from the pull or event it repeated, what and when from the repeat. */
function continuation(
  origin: Pick<PullEvent, 'environmentId' | 'tokenId' | 'ip' | 'repository'>,
  repeat: Repeats,
  imageDigest: string,
): AttributedPull {
  return {
    environmentId: origin.environmentId,
    tokenId: origin.tokenId,
    repository: origin.repository,
    tag: null,
    digest: repeat.lastDigest,
    method: repeat.lastMethod,
    at: new Date(repeat.lastAt),
    ip: origin.ip,
    client: repeat.lastClient,
    imageDigest,
    newPull: false,
  };
}
