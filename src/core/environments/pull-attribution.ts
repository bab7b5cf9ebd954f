import { imageKey, type ImageRef } from '../releases/ports.js';
import type { AttributedPull, PullEvent } from './model.js';

/** How long requests of one client for one image count as one pull (kubelet's HEAD then GET, index then platform manifest). */
export const PULL_WINDOW_MS = 60_000;

interface OpenPull {
  imageDigest: string;
  startedAt: number;
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
 * The state is per process: a HEAD and its GET served by two replicas count as two pulls of the same
 * deployment, which is still one deployment.
 */
export class PullAttribution {
  private readonly open = new Map<string, OpenPull>();

  constructor(private readonly windowMs = PULL_WINDOW_MS) {}

  /** Attributes events in time order; `parents` is what a ParentLookup said about the batch. */
  attribute(events: readonly PullEvent[], parents: ReadonlyMap<string, ReadonlySet<string>> = new Map()): AttributedPull[] {
    return events.map((event) => {
      const key = `${event.tokenId}\n${event.ip ?? ''}\n${event.repository}`;
      const at = event.at.getTime();
      const open = this.open.get(key);
      if (open && at - open.startedAt <= this.windowMs) {
        if (open.imageDigest === event.digest || parents.get(imageKey(event))?.has(open.imageDigest)) {
          return { ...event, imageDigest: open.imageDigest, newPull: false };
        }
      }
      this.open.set(key, { imageDigest: event.digest, startedAt: at });
      return { ...event, imageDigest: event.digest, newPull: true };
    });
  }

  /** Forgets pulls whose window has closed, so memory follows the number of active clients. */
  prune(now: Date): void {
    for (const [key, open] of this.open) if (now.getTime() - open.startedAt > this.windowMs) this.open.delete(key);
  }
}
