import type { TokenIdentity } from '../model.js';

/** A token expiring within this many days is "expiring soon" unless configured otherwise (FLY_TOKEN_EXPIRY_WARNING_DAYS). */
export const DEFAULT_EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;

export const expiryWarningMs = (days: number): number => days * DAY_MS;

/** Still valid, and expiring within the warning window (a token that never expires never is). */
export function isExpiringSoon(expiresAt: Date | null | undefined, now: Date, warningMs: number): boolean {
  if (!expiresAt) return false;
  const left = expiresAt.getTime() - now.getTime();
  return left > 0 && left <= warningMs;
}

/** "3 days", "5 hours", "12 minutes": rounded down, never below one unit. */
export function timeLeft(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (ms >= 2 * DAY_MS) return unit(Math.floor(ms / DAY_MS), 'day');
  if (ms >= 3_600_000) return unit(Math.floor(ms / 3_600_000), 'hour');
  return unit(Math.max(1, Math.floor(ms / 60_000)), 'minute');
}

/**
 * The one-line notice registry clients print (npm's `npm-notice`, OCI's `Warning: 299`) when the credential a
 * request used stops working soon: a secret a rotation replaced (its overlap ends), or a token expiring within
 * the warning window. null when there is nothing to say. Plain ASCII: it travels in an HTTP header.
 */
export function expiryNotice(token: TokenIdentity, now: Date, warningMs: number, tokensPage: URL): string | null {
  const link = () => `${tokensPage.href}?token=${encodeURIComponent(token.id)}`;
  if (token.secretRetiresAt && token.secretRetiresAt.getTime() > now.getTime()) {
    const left = timeLeft(token.secretRetiresAt.getTime() - now.getTime());
    return `Fly Registry: this secret of token ${token.username} was replaced by a rotation and stops working in ${left} - use the new secret (${link()})`;
  }
  if (isExpiringSoon(token.expiresAt, now, warningMs) && token.expiresAt) {
    const left = timeLeft(token.expiresAt.getTime() - now.getTime());
    return `Fly Registry: token ${token.username} expires in ${left} - rotate it at ${link()}`;
  }
  return null;
}
