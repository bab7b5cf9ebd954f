/**
 * Go module paths and file paths, checked by the rules of the Go command's module package (the rules
 * `go` applies before it trusts a path), and the proxy protocol's case encoding ("!x" for "X").
 * Pure functions, shared by the server (which refuses what `go` would refuse) and the CLI (which builds
 * module zips). Each check returns the reason a path is wrong, or null.
 */

/** Reserved path elements on Windows, refused anywhere in a module. */
const WINDOWS_RESERVED = new Set([
  'CON', 'PRN', 'AUX', 'NUL',
  'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9',
  'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9',
]);

const MODULE_CHAR = /^[A-Za-z0-9._~-]$/;
const FILE_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";

type PathKind = 'module' | 'file';

function charOk(ch: string, kind: PathKind): boolean {
  if (kind === 'module') return MODULE_CHAR.test(ch);
  if (/^[A-Za-z0-9]$/.test(ch) || FILE_PUNCTUATION.includes(ch)) return true;
  return ch.codePointAt(0)! >= 0x80 && /^\p{L}$/u.test(ch);
}

function elementProblem(elem: string, kind: PathKind): string | null {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${JSON.stringify(elem)}`;
  if (kind === 'module' && elem.startsWith('.')) return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  for (const ch of elem) if (!charOk(ch, kind)) return `invalid char ${JSON.stringify(ch)}`;
  const short = elem.includes('.') ? elem.slice(0, elem.indexOf('.')) : elem;
  if (WINDOWS_RESERVED.has(short.toUpperCase())) return `${JSON.stringify(short)} disallowed as path element component on Windows`;
  if (kind === 'module' && /~[0-9]+$/.test(short)) return 'trailing tilde and digits in path element';
  return null;
}

function pathProblem(path: string, kind: PathKind): string | null {
  if (path === '') return 'empty string';
  if (path.startsWith('-') && kind !== 'file') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const problem = elementProblem(elem, kind);
    if (problem) return problem;
  }
  return null;
}

/** Why `path` is not a valid module path (the Go command's CheckPath), or null. */
export function modulePathProblem(path: string): string | null {
  const problem = pathProblem(path, 'module');
  if (problem) return problem;
  const first = path.split('/')[0] as string;
  if (!/^[a-z0-9.-]+$/.test(first)) return 'the first path element must be a lower-case domain name';
  if (!first.includes('.')) return 'missing dot in first path element';
  const { suffix } = splitPathMajor(path);
  if (suffix !== '' && !/^\/v[1-9][0-9]*$/.test(suffix)) return `invalid major version suffix ${suffix}`;
  if (suffix === '/v1') return 'the major version suffix /v1 is not allowed';
  return null;
}

/** Why `path` is not a valid file path inside a module (CheckFilePath), or null. */
export function filePathProblem(path: string): string | null {
  return pathProblem(path, 'file');
}

/** Splits `example.com/m/v2` into its prefix and major suffix (`/v2`); no suffix for v0/v1 paths. */
export function splitPathMajor(path: string): { prefix: string; suffix: string } {
  const match = /^(.+?)(\/v[0-9.]+)$/.exec(path);
  if (!match || path.startsWith('gopkg.in/')) return { prefix: path, suffix: '' };
  return { prefix: match[1] as string, suffix: match[2] as string };
}

/** The proxy protocol's case encoding: each upper-case letter becomes "!" and its lower case. */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Decodes "!x" back to "X"; undefined when the text is not a valid encoding (a bare capital, a lone "!"). */
export function unescapeModulePath(escaped: string): string | undefined {
  if (/[A-Z]/.test(escaped)) return undefined;
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const ch = escaped[i] as string;
    if (ch !== '!') {
      out += ch;
      continue;
    }
    const next = escaped[i + 1];
    if (next === undefined || !/[a-z]/.test(next)) return undefined;
    out += next.toUpperCase();
    i++;
  }
  return out;
}
