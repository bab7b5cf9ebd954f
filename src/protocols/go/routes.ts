import { MAX_ZIP_BYTES } from '../../formats/go/module-files.js';
import { read, remove, upload } from './handlers.js';
import { goTarget } from './paths.js';
import type { GoRoute } from './route.js';

/** The module a GOPROXY path acts on, for authorization (every path is `<module>/@…`). */
const moduleOf = (params: Record<string, string>) => {
  const target = goTarget(params);
  return 'module' in target ? target.module : '*';
};

/** The GOPROXY route table: every path is `<module>/@…` below the mount, so one wildcard per method. */
export const GO_ROUTES: GoRoute[] = [
  { method: 'GET', path: '/*', action: 'pull', resource: moduleOf, handler: read },
  // Uploads are module zips streamed to the blob store; nothing is parsed or buffered here.
  { method: 'PUT', path: '/*', action: 'push', resource: moduleOf, bodyLimit: MAX_ZIP_BYTES, handler: upload },
  { method: 'DELETE', path: '/*', action: 'delete', resource: moduleOf, handler: remove },
];
