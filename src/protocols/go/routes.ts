import { MAX_ZIP_BYTES } from '../../formats/go/module-files.js';
import { read, readFromMemory, remove, upload } from './handlers.js';
import { goTarget } from './paths.js';
import type { GoRoute } from './route.js';

const GO_NO_MODULE = ':paths';

/**
 * The module a GOPROXY path acts on, for authorization. A path naming no module (malformed, or one go asks
 * a proxy for other things, such as `sumdb/<db>/supported`) is a listing (grants.ts): any grant on a module
 * reaches it, and its handler answers what it answers everyone (404 on reads, so `go` falls back; 400 on
 * uploads, saying which path to use), instead of a scoped token's 403, which would stop `go`.
 */
const moduleOf = (params: Record<string, string>) => {
  const target = goTarget(params);
  return 'module' in target ? target.module : GO_NO_MODULE;
};

/** The GOPROXY route table: every path is `<module>/@…` below the mount, so one wildcard per method. */
export const GO_ROUTES: GoRoute[] = [
  { method: 'GET', path: '/*', action: 'pull', resource: moduleOf, handler: read, fromMemory: readFromMemory },
  // Uploads are module zips streamed to the blob store; nothing is parsed or buffered here.
  { method: 'PUT', path: '/*', action: 'push', resource: moduleOf, bodyLimit: MAX_ZIP_BYTES, handler: upload },
  { method: 'DELETE', path: '/*', action: 'delete', resource: moduleOf, handler: remove },
];
