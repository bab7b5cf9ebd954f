import { REGISTRY_TOKEN_PATTERN } from '../core/oci/registry-tokens.js';
import { SECRET_PATTERN } from '../core/tokens/secret.js';

const AUTH_HEADER_PATTERN = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_USERINFO_PATTERN = /(\/\/[^/:@\s]+):[^@/\s]+@/g;

/**
 * Every pattern below needs one of these (or a %-escape that may hide one): other strings pass as they are.
 * User info is `//user:password@`, so an `@` alone (Go's `/@v/list`, npm's `/@scope/`) is not enough.
 */
const MAY_HOLD_CREDENTIAL = /fly[a-z]_|basic|bearer|\/\/[^/\s]*@/i;

/**
 * Removes anything that looks like a credential from a string. A URL may carry a secret percent-encoded
 * (`flyr%5F…`), so text with escapes is matched decoded too; when that finds something, the decoded,
 * redacted text is what gets logged.
 */
export function redactString(text: string): string {
  const escaped = text.includes('%');
  if (!escaped && !MAY_HOLD_CREDENTIAL.test(text)) return text;
  const plain = redactPlain(text);
  if (!escaped) return plain;
  const decoded = percentDecoded(plain);
  const redacted = redactPlain(decoded);
  return redacted === decoded ? plain : redacted;
}

/** Decodes %XX escapes (repeatedly, for double encoding), leaving malformed ones as they are. */
function percentDecoded(text: string): string {
  let current = text;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    const next = current.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

function redactPlain(text: string): string {
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
