/**
 * How many bytes of request bodies this process may hold in memory at once: the bodies a route reads whole
 * before it can act (an npm publish's JSON, its tarball base64 inside; an OCI manifest; the management API's
 * JSON), which cost a few times their size while they are parsed. Each such request holds its declared size
 * from the moment its credential is checked until its answer is sent; one that would go past the budget is
 * refused at once as unavailable (503, for the client to retry) instead of letting concurrent uploads exhaust
 * the memory.
 */
export class BodyMemory {
  private held = 0;

  constructor(private readonly budgetBytes: number) {}

  /**
   * Holds `bytes` until the returned release runs (it may run more than once); undefined when they are not
   * free. A body larger than the whole budget is held as the whole budget: it may come when nothing else is.
   */
  hold(bytes: number): (() => void) | undefined {
    const amount = Math.min(Math.max(0, bytes), this.budgetBytes);
    if (this.held > 0 && this.held + amount > this.budgetBytes) return undefined;
    this.held += amount;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= amount;
    };
  }

  /** Bytes held right now. */
  get heldBytes(): number {
    return this.held;
  }
}
