/**
 * Runs a recorder's write one at a time (the recorders that collect in memory and write on a timer). A call
 * while a write runs schedules exactly one more after it; calls while that one waits join it, since it writes
 * whatever has accumulated by the time it starts. So a database that answers slowly, or not at all until its
 * timeout, holds one waiting write, not one more per tick of the timer. A write that fails (it should report
 * its own errors) does not stop the ones after it.
 */
export class SerialFlush {
  private running: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  /** Resolves once a write that started after this call has finished. */
  run(): Promise<void> {
    if (this.waiting) return this.waiting;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.waiting = undefined;
        return this.write();
      });
    this.waiting = next;
    this.running = next;
    return next;
  }
}
