/** When a recorder's writes run on their own: at most `withinMs` after something was left to write. */
export interface FlushSchedule {
  withinMs: number;
  /** Whether anything waits to be written: asked after each write (a failed one puts its batch back). */
  pending(): boolean;
}

/**
 * Runs a recorder's write one at a time (the recorders that collect in memory and write in batches). A run()
 * while a write runs schedules exactly one more after it; calls while that one waits join it, since it writes
 * whatever has accumulated by the time it starts. So a database that answers slowly, or not at all until its
 * timeout, holds one waiting write, not one more per tick of a timer. A write that fails (it should report
 * its own errors) does not stop the ones after it.
 *
 * `due()` says something was left to write, and a write follows within the schedule's `withinMs`. The timer
 * for it is armed only while something waits: an idle recorder sets none, so an idle server does not wake
 * up to find nothing to write (a timer every few milliseconds in each process costs the other processes on
 * the machine too, busy servers among them).
 */
export class SerialFlush {
  private running: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly schedule: FlushSchedule,
  ) {}

  /** Something was left to write: a write starts within the schedule's `withinMs` (no timer is armed twice). */
  due(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run().catch(() => undefined);
    }, this.schedule.withinMs);
    this.timer.unref();
  }

  /** Resolves once a write that started after this call has finished. */
  run(): Promise<void> {
    if (this.waiting) return this.waiting;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.waiting = undefined;
        return this.write();
      })
      .finally(() => {
        if (this.schedule.pending()) this.due();
      });
    this.waiting = next;
    this.running = next;
    return next;
  }

  /** No more scheduled writes (the owner's last flush is its own to run). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
