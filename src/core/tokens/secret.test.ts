import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, generateSecret, hashSecret, isWellFormedSecret, SECRET_PATTERN, SECRET_PREFIX } from './secret.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Decodes the 6-character base62 checksum back to a number. */
const fromBase62 = (text: string) => [...text].reduce((n, c) => n * 62 + BASE62.indexOf(c), 0);

describe('token secrets', () => {
  it('are the prefix, 32 random base62 characters (≥ 190 bits) and a 6-character checksum', () => {
    for (const kind of ['token', 'session', 'invitation'] as const) {
      const secret = generateSecret(kind);
      expect(secret).toMatch(new RegExp(`^${SECRET_PREFIX[kind]}[0-9A-Za-z]{38}$`));
      expect(32 * Math.log2(62)).toBeGreaterThanOrEqual(190);
      expect(isWellFormedSecret(secret, kind)).toBe(true);
    }
  });

  it('carry a base62 CRC32 of everything before the checksum', () => {
    const secret = generateSecret('token');
    const body = secret.slice(0, -6);
    expect(fromBase62(secret.slice(-6))).toBe(crc32(body));
  });

  it('are random: no repeats, and every base62 character turns up about equally often', () => {
    const secrets = Array.from({ length: 2000 }, () => generateSecret('token'));
    expect(new Set(secrets).size).toBe(secrets.length);
    const counts = new Map<string, number>();
    for (const s of secrets) for (const c of s.slice(5, 37)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (2000 * 32) / 62;
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(expected * 0.75);
      expect(n).toBeLessThan(expected * 1.25);
    }
  });

  it('reject a typo, a wrong prefix, a wrong length and foreign characters offline', () => {
    const secret = generateSecret('token');
    for (let i = 5; i < secret.length; i += 7) {
      const c = secret[i] === 'a' ? 'b' : 'a';
      expect(isWellFormedSecret(secret.slice(0, i) + c + secret.slice(i + 1), 'token')).toBe(false);
    }
    expect(isWellFormedSecret(secret, 'session')).toBe(false);
    expect(isWellFormedSecret(`flys_${secret.slice(5)}`, 'token')).toBe(false);
    expect(isWellFormedSecret(secret.slice(0, -1), 'token')).toBe(false);
    expect(isWellFormedSecret(`${secret}0`, 'token')).toBe(false);
    expect(isWellFormedSecret(`${secret.slice(0, 10)}-${secret.slice(11)}`, 'token')).toBe(false);
    expect(isWellFormedSecret('', 'token')).toBe(false);
  });

  it('are stored only as a SHA-256 hex digest', () => {
    const secret = generateSecret('token');
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret.slice(5, 15));
    expect(hashSecret(secret)).toBe(hash);
    expect(hashSecret(generateSecret('token'))).not.toBe(hash);
  });

  it('are recognised by the redaction pattern', () => {
    const line = `token ${generateSecret('token')} session ${generateSecret('session')} invite ${generateSecret('invitation')}`;
    expect(line.replace(SECRET_PATTERN, '[REDACTED]')).toBe('token [REDACTED] session [REDACTED] invite [REDACTED]');
  });

  it('compare in constant time, including different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
