import { InProcessFailureCounts, type FailureCounts, type FailureWindow } from '../../core/auth/failure-counts.js';
import type { WorkerChannel } from './channel.js';

/**
 * The failure limiter's counts shared by the workers of one server. The primary holds the authoritative
 * count (it sees every worker's failures); each worker checks a mirror the primary keeps up to date. A
 * failure resolves once every worker's mirror holds it, so the attempt after a refusal is judged on the
 * new count whichever worker it reaches.
 */
export class WorkerFailureCounts implements FailureCounts {
  private readonly mirror: InProcessFailureCounts;

  constructor(
    windowMs: number,
    private readonly channel: WorkerChannel,
  ) {
    this.mirror = new InProcessFailureCounts(windowMs);
    channel.on((delivery) => {
      if (delivery.topic === 'failures') this.mirror.set(delivery.ip, delivery.window);
    });
  }

  current(ip: string, now: number): FailureWindow | undefined {
    return this.mirror.current(ip, now);
  }

  add(ip: string, now: number, delta: number): Promise<void> {
    // Counted here at once too, should the primary be slow to answer; its count replaces this one.
    this.mirror.increment(ip, now, delta);
    return this.channel.publish({ topic: 'failure', ip, at: now, delta });
  }
}
