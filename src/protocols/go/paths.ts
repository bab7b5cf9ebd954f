import { unescapeModulePath } from '../../formats/go/module-path.js';
import { memoizedParse } from '../kit/memoized-parse.js';

/** What a GOPROXY request path names, after the mount prefix. */
export type GoRequest =
  | { kind: 'list'; module: string }
  | { kind: 'latest'; module: string }
  | { kind: 'file'; module: string; version: string; ext: 'info' | 'mod' | 'zip' }
  | { kind: 'version'; module: string; version: string }
  | { kind: 'unknown'; reason: string };

const FILE = /^(.+)\/@v\/([^/]+)\.(info|mod|zip)$/;
const VERSION = /^(.+)\/@v\/([^/]+)$/;

/**
 * Parses `<module>/@v/list`, `<module>/@latest`, `<module>/@v/<version>.(info|mod|zip)` and (for delete)
 * `<module>/@v/<version>`, undoing the protocol's case encoding ("!x" for "X") in module and version.
 */
export function parseGoPath(rest: string): GoRequest {
  const decode = (text: string) => unescapeModulePath(text);
  if (rest.endsWith('/@v/list')) {
    const module = decode(rest.slice(0, -'/@v/list'.length));
    return module ? { kind: 'list', module } : { kind: 'unknown', reason: 'invalid escaped module path' };
  }
  if (rest.endsWith('/@latest')) {
    const module = decode(rest.slice(0, -'/@latest'.length));
    return module ? { kind: 'latest', module } : { kind: 'unknown', reason: 'invalid escaped module path' };
  }
  const file = FILE.exec(rest) ?? VERSION.exec(rest);
  if (!file) return { kind: 'unknown', reason: 'not a module proxy path' };
  const module = decode(file[1] as string);
  const version = decode(file[2] as string);
  if (!module || !version) return { kind: 'unknown', reason: 'invalid escaped module path or version' };
  const ext = file[3] as 'info' | 'mod' | 'zip' | undefined;
  return ext ? { kind: 'file', module, version, ext } : { kind: 'version', module, version };
}

const goPath = memoizedParse(parseGoPath);

/** What the kit's wildcard route matched (`/*` below the mount), parsed (or remembered from a recent request). */
export const goTarget = (params: Record<string, string>): GoRequest => goPath(params['*'] ?? '');
