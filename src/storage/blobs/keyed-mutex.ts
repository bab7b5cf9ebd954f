/**
 * Runs async work one at a time per key, within this process. The blob store uses it so that two requests
 * on the same upload session (a client retrying a PATCH, a commit racing an append) see each other's result
 * instead of both passing the offset check and interleaving bytes.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Forget the key once nobody queued behind us, so the map does not grow with every session ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
