import { imageKey, type ImageRef } from '../releases/ports.js';
import type { AttributedPull, PullEvent } from './model.js';

/** How long requests of one client for one image count as one pull (kubelet's HEAD then GET, index then platform manifest). */
export const PULL_WINDOW_MS = 60_000;

interface OpenPull {
  imageDigest: string;
  startedAt: number;
  /** The latest request that continued this pull since the last drain, if any. */
  touched: PullEvent | null;
}

/**
 * For manifests clients fetched, the indexes of the same repository that list them, keyed by imageKey() of
 * the fetched manifest. The OCI store answers it in one query per batch.
 */
export type ParentLookup = (images: ImageRef[]) => Promise<Map<string, Set<string>>>;

const clientKey = (e: PullEvent) => `${e.tokenId}\n${e.ip ?? ''}\n${e.repository}`;

/**
 * Groups a client's requests into pulls. One client is one token from one address; one pull is every
 * request that client makes for one image within PULL_WINDOW_MS of its first: a HEAD then a GET of the same
 * manifest, or an index then the platform manifest it lists. Only the first request of a pull counts as a
 * new pull; the others are continuations, and a platform manifest is attributed to its index, which is what
 * CI pushed and releases name.
 *
 * The state is per process: a HEAD and its GET served by two replicas count as two pulls of the same
 * deployment, which is still one deployment.
 */
export class PullAttribution {
  private readonly open = new Map<string, OpenPull>();
  private readonly touched = new Set<OpenPull>();

  constructor(private readonly windowMs = PULL_WINDOW_MS) {}

  /**
   * The request-time fast path: true when the request repeats the image of a pull this client already has
   * open. It is then only noted (drainContinuations() reports it once per pull), so a client hammering one
   * image costs a map lookup per request. Anything else returns false: queue it for attribute().
   */
  continuesOpenPull(event: PullEvent): boolean {
    const open = this.open.get(clientKey(event));
    if (!open || open.imageDigest !== event.digest || event.at.getTime() - open.startedAt > this.windowMs) return false;
    open.touched = event;
    this.touched.add(open);
    return true;
  }

  /** Attributes queued events in time order; `parents` is what a ParentLookup said about them. */
  attribute(events: readonly PullEvent[], parents: ReadonlyMap<string, ReadonlySet<string>> = new Map()): AttributedPull[] {
    return events.map((event) => {
      const key = clientKey(event);
      const at = event.at.getTime();
      const open = this.open.get(key);
      if (open && at - open.startedAt <= this.windowMs) {
        if (open.imageDigest === event.digest || parents.get(imageKey(event))?.has(open.imageDigest)) {
          return { ...event, imageDigest: open.imageDigest, newPull: false };
        }
      }
      this.open.set(key, { imageDigest: event.digest, startedAt: at, touched: null });
      return { ...event, imageDigest: event.digest, newPull: true };
    });
  }

  /** The latest continuation of each pull continuesOpenPull() noted since the last call. */
  drainContinuations(): AttributedPull[] {
    const out: AttributedPull[] = [];
    for (const open of this.touched) {
      if (open.touched) out.push({ ...open.touched, tag: null, imageDigest: open.imageDigest, newPull: false });
      open.touched = null;
    }
    this.touched.clear();
    return out;
  }

  /** Forgets pulls whose window has closed, so memory follows the number of active clients. */
  prune(now: Date): void {
    for (const [key, open] of this.open) {
      if (now.getTime() - open.startedAt > this.windowMs && !open.touched) this.open.delete(key);
    }
  }
}
