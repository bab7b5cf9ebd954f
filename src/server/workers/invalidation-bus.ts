import type { CacheInvalidation, InvalidationBus } from '../../core/invalidation.js';
import type { MetadataStore } from '../../core/ports.js';
import type { WorkerChannel } from './channel.js';

/**
 * Cache invalidations for one worker of a multi-process server: `inner` carries them as for a single process
 * (in-process on SQLite, LISTEN/NOTIFY to other replicas on PostgreSQL), and the primary carries them to
 * the sibling workers. The sibling broadcast goes out once the change has committed (a sibling that dropped
 * its entry earlier could re-read and keep the old record), and publish() resolves only when every sibling
 * has dropped it: the revoke's answer leaves after the last worker has forgotten the token.
 */
export class WorkerInvalidationBus implements InvalidationBus {
  constructor(
    private readonly inner: InvalidationBus,
    private readonly channel: WorkerChannel,
  ) {}

  async publish(event: CacheInvalidation, tx?: MetadataStore): Promise<void> {
    await this.inner.publish(event, tx);
    const toSiblings = () => this.channel.publish({ topic: 'invalidation', event });
    if (tx) await tx.afterCommit(toSiblings);
    else await toSiblings();
  }

  subscribe(handler: (event: CacheInvalidation) => void): () => void {
    let subscribed = true;
    this.channel.on((delivery) => {
      if (subscribed && delivery.topic === 'invalidation') handler(delivery.event);
    });
    const unsubscribeInner = this.inner.subscribe(handler);
    return () => {
      subscribed = false;
      unsubscribeInner();
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
