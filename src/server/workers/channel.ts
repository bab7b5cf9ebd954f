import type { Delivery, Publication, PrimaryMessage, WorkerMessage } from './messages.js';
import { isPrimaryMessage } from './messages.js';

/** How long a publication may wait for the primary: past it, the publisher goes on (the cache TTL still bounds staleness). */
const PUBLISH_TIMEOUT_MS = 2000;

/** The IPC link of a worker process (process.send / 'message'); injectable for tests. */
export interface IpcEndpoint {
  send(message: WorkerMessage): void;
  onMessage(handler: (message: unknown) => void): void;
}

export const processIpc: IpcEndpoint = {
  send: (message) => {
    process.send?.(message);
  },
  onMessage: (handler) => {
    process.on('message', handler);
  },
};

/**
 * A worker's side of the broadcast through the primary: publish() resolves once every worker concerned has
 * applied the publication (or after PUBLISH_TIMEOUT_MS, should the primary not answer); deliveries from
 * other workers reach the handlers registered with on(), and are acknowledged after they ran.
 */
export class WorkerChannel {
  private nextId = 1;
  private readonly pending = new Map<number, () => void>();
  private readonly handlers: ((delivery: Delivery) => void)[] = [];

  constructor(private readonly ipc: IpcEndpoint = processIpc) {
    ipc.onMessage((message) => {
      if (!isPrimaryMessage(message)) return;
      this.receive(message);
    });
  }

  publish(publication: Publication): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.settle(id), PUBLISH_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.ipc.send({ fly: 'publish', id, publication });
    });
  }

  on(handler: (delivery: Delivery) => void): void {
    this.handlers.push(handler);
  }

  /** Tells the primary this worker listens, and so takes part in deliveries from now on. */
  ready(): void {
    this.ipc.send({ fly: 'ready' });
  }

  private receive(message: PrimaryMessage): void {
    if (message.fly === 'published') return this.settle(message.id);
    for (const handler of this.handlers) handler(message.delivery);
    this.ipc.send({ fly: 'delivered', id: message.id });
  }

  private settle(id: number): void {
    const done = this.pending.get(id);
    this.pending.delete(id);
    done?.();
  }
}
