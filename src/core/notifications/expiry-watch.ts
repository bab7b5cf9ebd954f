import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { MetadataStore } from '../ports.js';

export interface ExpiryWatchDeps {
  store: MetadataStore;
  clock: Clock;
  audit: AuditLog;
  /** A token expiring within this long is "expiring soon" (FLY_TOKEN_EXPIRY_WARNING_DAYS; 0: never). */
  windowMs: number;
}

const BATCH = 200;
/**
 * Tokens living a day or less (CI exchanges: minutes; credential-helper tokens: an hour) expire by design,
 * every day, many times: announcing them would bury the announcements that matter.
 */
const SHORT_LIVED_MS = 86_400_000;

/**
 * The periodic check behind `token.expiring_soon` and `token.expired`: each token entering a state is
 * announced once (the notice row and the audit event, which goes to the outbox, land in one transaction;
 * a process that finds the notice already written skips it).
 */
export class ExpiryWatch {
  constructor(private readonly deps: ExpiryWatchDeps) {}

  /** Returns how many tokens were announced. */
  async run(): Promise<number> {
    const now = this.deps.clock.now();
    let announced = 0;
    for (const c of await this.deps.store.notifications.expiryCandidates(now, this.deps.windowMs, SHORT_LIVED_MS, BATCH)) {
      const done = await this.deps.store.transaction(async (tx) => {
        if (!(await tx.notifications.recordExpiryNotice(c.tokenId, c.state, now))) return false;
        await this.deps.audit.record(
          tx.audit,
          {
            actor: 'system',
            action: c.state === 'expired' ? 'token.expired' : 'token.expiring_soon',
            target: { type: 'token', id: c.tokenId, name: c.name },
            details: { username: c.username, expiresAt: c.expiresAt.toISOString() },
          },
          null,
        );
        return true;
      });
      if (done) announced++;
    }
    return announced;
  }
}
