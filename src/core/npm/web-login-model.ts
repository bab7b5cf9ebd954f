/**
 * One `npm login --auth-type=web` request. npm holds the done secret (only its hash is here) and polls;
 * a signed-in user approves or denies it on the dashboard page named by `id`.
 */
export interface NpmWebLogin {
  /** Public: it names the request in the login URL a person opens. */
  id: string;
  /** SHA-256 of the done URL's secret: whoever polls must hold the secret itself. */
  doneSecretHash: string;
  /** What npm said about itself (`{hostname}` in its POST), for the person deciding. */
  hostname: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
  decision: 'approved' | 'denied' | null;
  /** The user who approved or denied; an approved request issues its token to this user. */
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Set by the one poll that collected the token. */
  consumedAt: Date | null;
  /** Which client asked: npm receives a token, the flyreg CLI (`flyreg login`) a login session. */
  client: 'npm' | 'cli';
  /** The short code the CLI prints and the approval page shows (CLI requests only). */
  userCode: string | null;
}

export type NpmWebLoginState = 'pending' | 'approved' | 'denied' | 'expired' | 'consumed';

/**
 * The state machine: pending → approved → consumed (by the first poll), or pending → denied. A request not
 * collected before it expires is expired, approved or not; a decision or a collection ends it for good.
 */
export function webLoginState(login: NpmWebLogin, now: Date): NpmWebLoginState {
  if (login.consumedAt) return 'consumed';
  if (login.decision === 'denied') return 'denied';
  if (now.getTime() >= login.expiresAt.getTime()) return 'expired';
  return login.decision ?? 'pending';
}

export interface NpmWebLoginStore {
  insert(login: NpmWebLogin): Promise<void>;
  byId(id: string): Promise<NpmWebLogin | undefined>;
  /** Records the decision only on a pending, unexpired request. Returns whether this call decided it. */
  decide(id: string, decision: 'approved' | 'denied', userId: string, at: Date): Promise<boolean>;
  /** Marks an approved, unexpired, uncollected request collected. Only one caller ever gets true. */
  consume(id: string, at: Date): Promise<boolean>;
  /** Requests still waiting for a decision at `at`: in all, and those opened from `ip`. */
  countPending(at: Date, ip: string | null): Promise<{ total: number; fromAddress: number }>;
  /** Drops requests that expired before `before` (they can no longer change state). */
  deleteExpired(before: Date): Promise<void>;
}
