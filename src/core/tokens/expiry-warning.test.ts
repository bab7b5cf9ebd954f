import { describe, expect, it } from 'vitest';
import { expiryNotice, expiryWarningMs, isExpiringSoon, timeLeft } from './expiry-warning.js';

const now = new Date('2026-12-01T12:00:00Z');
const inMs = (ms: number) => new Date(now.getTime() + ms);
const DAY = 86_400_000;
const page = new URL('https://registry.example.com/tokens');
const token = { id: 't1', name: 'CI', username: 'ci-abc123', permission: 'read-only' as const, environmentId: null };

describe('expiry warnings', () => {
  it('is "expiring soon" only while still valid and within the window; never for a token that never expires', () => {
    const week = expiryWarningMs(7);
    expect(isExpiringSoon(inMs(3 * DAY), now, week)).toBe(true);
    expect(isExpiringSoon(inMs(7 * DAY), now, week)).toBe(true);
    expect(isExpiringSoon(inMs(7 * DAY + 1), now, week)).toBe(false);
    expect(isExpiringSoon(inMs(0), now, week)).toBe(false);
    expect(isExpiringSoon(inMs(-DAY), now, week)).toBe(false);
    expect(isExpiringSoon(null, now, week)).toBe(false);
    expect(isExpiringSoon(inMs(DAY), now, 0)).toBe(false);
  });

  it('says the time left in the largest whole unit', () => {
    expect(timeLeft(3 * DAY + 5 * 3_600_000)).toBe('3 days');
    expect(timeLeft(2 * DAY)).toBe('2 days');
    expect(timeLeft(DAY + 3_600_000)).toBe('25 hours');
    expect(timeLeft(3_600_000)).toBe('1 hour');
    expect(timeLeft(61_000)).toBe('1 minute');
    expect(timeLeft(5_000)).toBe('1 minute');
  });

  it('builds the notice with the dashboard link: a replaced secret first, then the token expiry; nothing otherwise', () => {
    const week = expiryWarningMs(7);
    expect(expiryNotice({ ...token, expiresAt: inMs(3 * DAY + 60_000) }, now, week, page)).toBe(
      'Fly Registry: token ci-abc123 expires in 3 days - rotate it at https://registry.example.com/tokens?token=t1',
    );
    expect(expiryNotice({ ...token, expiresAt: inMs(3 * DAY), secretRetiresAt: inMs(5 * 3_600_000) }, now, week, page)).toContain(
      'this secret of token ci-abc123 was replaced by a rotation and stops working in 5 hours - use the new secret',
    );
    expect(expiryNotice({ ...token, expiresAt: inMs(30 * DAY) }, now, week, page)).toBeNull();
    expect(expiryNotice({ ...token, expiresAt: null }, now, week, page)).toBeNull();
    // Header-safe: no quotes or line breaks to escape.
    expect(expiryNotice({ ...token, expiresAt: inMs(DAY) }, now, week, page)).toMatch(/^[\x20-\x21\x23-\x7e]+$/);
  });
});
