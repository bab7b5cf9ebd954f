import type { JWTPayload } from 'jose';
import type { ClaimRule } from './model.js';

/** `*` matches any run of characters; everything else matches itself. */
export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  // Greedy left to right over the middle pieces, inside the window between the fixed start and end.
  let at = first.length;
  const end = value.length - last.length;
  for (const piece of parts.slice(1, -1)) {
    const found = value.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** A claim's value as rules compare it: strings as they are, numbers and booleans as JSON text. */
export function claimText(claims: JWTPayload, name: string): string | null {
  const value = claims[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return null;
}

/** The first rule the claims break, described for the error message; null when every rule holds. */
export function brokenRule(rules: ClaimRule[], claims: JWTPayload): string | null {
  for (const rule of rules) {
    const value = claimText(claims, rule.claim);
    if (value === null) return `claim ${rule.claim} is missing`;
    if (!rule.values.some((pattern) => globMatches(pattern, value))) {
      return `claim ${rule.claim} is ${JSON.stringify(value)}, not ${rule.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    }
  }
  return null;
}
