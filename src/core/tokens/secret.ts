import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 base62 characters carry 32·log2(62) ≈ 190.5 bits. */
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

/** The kinds of secret we mint; each prefix lets scanners and our log redaction recognise it. */
export const SECRET_PREFIX = { token: 'flyr_', session: 'flys_', invitation: 'flyi_', npmWebLogin: 'flyl_', shareLink: 'flyd_' } as const;
export type SecretKind = keyof typeof SECRET_PREFIX;

/** Anything that looks like one of our secrets, for redaction in logs and errors. */
export const SECRET_PATTERN = /fly[rsild]_[0-9A-Za-z]{8,}/g;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4·62: rejecting bytes at or above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function toBase62(value: number, width: number): string {
  let out = '';
  let n = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

/** `<prefix>` + 32 random base62 characters + a 6-character base62 CRC32 of everything before it. */
export function generateSecret(kind: SecretKind): string {
  const body = SECRET_PREFIX[kind] + randomBase62(RANDOM_LENGTH);
  return body + checksumOf(body);
}

/**
 * A secret of our shape derived from a key and a context with HMAC-SHA256, so whoever holds the key can
 * recompute it instead of storing it (the credential helper's tokens, derived from the login session).
 * Characters are drawn from the HMAC stream with the same rejection rule as random ones.
 */
export function deriveSecret(kind: SecretKind, key: string, context: string): string {
  let random = '';
  for (let block = 0; random.length < RANDOM_LENGTH; block++) {
    for (const byte of createHmac('sha256', key).update(`${context}\n${block}`).digest()) {
      if (byte < 248 && random.length < RANDOM_LENGTH) random += BASE62[byte % 62];
    }
  }
  const body = SECRET_PREFIX[kind] + random;
  return body + checksumOf(body);
}

/** True when the secret has our prefix and length (what isWellFormedSecret checks first, without the checksum). */
export function hasSecretShape(secret: string, kind: SecretKind): boolean {
  const prefix = SECRET_PREFIX[kind];
  return secret.length === prefix.length + RANDOM_LENGTH + CHECKSUM_LENGTH && secret.startsWith(prefix);
}

/** True when the secret has our shape and its checksum matches: rejects typos without a lookup. */
export function isWellFormedSecret(secret: string, kind: SecretKind): boolean {
  const prefix = SECRET_PREFIX[kind];
  if (!hasSecretShape(secret, kind)) return false;
  if (!/^[0-9A-Za-z]+$/.test(secret.slice(prefix.length))) return false;
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === secret.slice(-CHECKSUM_LENGTH);
}

/** Only this digest is stored; the secret itself is shown once and forgotten. */
export function hashSecret(secret: string): string {
  // One-shot: no Hash object per request (every authenticated request hashes its secret).
  return hash('sha256', secret, 'hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
