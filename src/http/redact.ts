import { REGISTRY_TOKEN_PATTERN } from '../core/oci/registry-tokens.js';
import { SECRET_PATTERN } from '../core/tokens/secret.js';

const AUTH_HEADER_PATTERN = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_USERINFO_PATTERN = /(\/\/[^/:@\s]+):[^@/\s]+@/g;

/** Every pattern above needs one of these: a string with none of them (most URLs) is returned as it is. */
const MAY_HOLD_CREDENTIAL = /fly[a-z]_|basic|bearer|@/i;

/** Removes anything that looks like a credential from a string. */
export function redactString(text: string): string {
  if (!MAY_HOLD_CREDENTIAL.test(text)) return text;
  return text
    .replace(SECRET_PATTERN, '[REDACTED]')
    .replace(REGISTRY_TOKEN_PATTERN, '[REDACTED]')
    .replace(AUTH_HEADER_PATTERN, '$1 [REDACTED]')
    .replace(URL_USERINFO_PATTERN, '$1:[REDACTED]@');
}

/** Deep copy of a log argument with every string redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactString(value.message));
    copy.name = value.name;
    copy.stack = value.stack ? redactString(value.stack) : undefined;
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}
