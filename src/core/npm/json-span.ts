/**
 * Finds the exact text of a value inside a JSON document, so a version manifest can be stored byte for
 * byte as the client sent it (docs/architecture.md: store exact bytes) rather than re-serialised.
 *
 * Only call this on text JSON.parse has already accepted: it trusts the syntax and only tracks where
 * values start and end. With duplicate keys it answers the last one, as JSON.parse does.
 */
export function jsonValueText(text: string, path: readonly string[]): string | undefined {
  let start = skipSpace(text, 0);
  let end = skipValue(text, start);
  for (const key of path) {
    if (text[start] !== '{') return undefined;
    const member = findMember(text, start, key);
    if (!member) return undefined;
    [start, end] = member;
  }
  return text.slice(start, end);
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipSpace(text: string, at: number): number {
  while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  return at;
}

/** `at` is an opening quote; returns the index just past the closing one. */
function skipString(text: string, at: number): number {
  let quote = text.indexOf('"', at + 1);
  for (;;) {
    if (quote < 0) throw new SyntaxError('unterminated string');
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

function skipValue(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return skipString(text, at);
  if (c === '{' || c === '[') {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i = skipString(text, i);
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('unterminated container');
  }
  // A literal or number: it runs to the next delimiter.
  let i = at;
  while (i < text.length && !',}]'.includes(text[i] as string) && !WHITESPACE.has(text[i] as string)) i++;
  return i;
}

/** The [start, end) of the value of `key` in the object opening at `at`, or undefined. */
function findMember(text: string, at: number, key: string): [number, number] | undefined {
  let found: [number, number] | undefined;
  let i = skipSpace(text, at + 1);
  while (text[i] === '"') {
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    const valueEnd = skipValue(text, valueStart);
    if (name === key) found = [valueStart, valueEnd];
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return found;
}
