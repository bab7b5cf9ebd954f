import { addDistTag, listDistTags, removeDistTag } from './handlers/dist-tags.js';
import { auditBulk, auditQuick, ping, search, whoami } from './handlers/meta.js';
import { deletePackage, deleteTarball, getPackument, getTarball, packumentFromMemory, putPackage, putPackageRevision } from './handlers/packages.js';
import { couchLogin, createToken, listTokens, revokeToken } from './handlers/tokens.js';
import { pollWebLogin, startWebLogin } from './handlers/web-login.js';
import { npmResource } from './package-params.js';
import type { NpmRoute } from './route.js';

/**
 * Everything npm 10/11 calls, relative to each prefix (`/artifactory/api/npm/npm` and `/npm`). Routes that
 * name a package are authorized on it; search and audit on every package (`*`).
 */
export const NPM_ROUTES: NpmRoute[] = [
  { method: 'GET', path: '/-/ping', action: 'public', handler: ping },
  { method: 'GET', path: '/-/whoami', action: 'authenticated', handler: whoami },
  { method: 'GET', path: '/-/v1/search', action: 'pull', resource: npmResource, handler: search },
  { method: 'POST', path: '/-/npm/v1/security/advisories/bulk', action: 'pull', resource: npmResource, handler: auditBulk },
  { method: 'POST', path: '/-/npm/v1/security/audits/quick', action: 'pull', resource: npmResource, handler: auditQuick },

  // Tokens: core's TokenService applies the rights (authorize.ts, own-tokens); creating needs the password.
  { method: 'GET', path: '/-/npm/v1/tokens', action: 'authenticated', handler: listTokens },
  { method: 'POST', path: '/-/npm/v1/tokens', action: 'authenticated', handler: createToken },
  { method: 'DELETE', path: '/-/npm/v1/tokens/token/:key', action: 'authenticated', handler: revokeToken },
  { method: 'PUT', path: '/-/user/:couchUser', action: 'public', handler: couchLogin },
  // npm login's web flow: the poll authenticates with the secret in its path (core checks it, rate-limited).
  { method: 'POST', path: '/-/v1/login', action: 'public', handler: startWebLogin },
  { method: 'GET', path: '/-/v1/login/done/:id/:secret', action: 'public', handler: pollWebLogin },

  { method: 'GET', path: '/-/package/{pkg}/dist-tags', action: 'pull', resource: npmResource, handler: listDistTags },
  { method: 'PUT', path: '/-/package/{pkg}/dist-tags/:tag', action: 'push', resource: npmResource, handler: addDistTag },
  { method: 'DELETE', path: '/-/package/{pkg}/dist-tags/:tag', action: 'push', resource: npmResource, handler: removeDistTag },

  { method: 'GET', path: '/{pkg}', action: 'pull', resource: npmResource, handler: getPackument, fromMemory: packumentFromMemory },
  { method: 'PUT', path: '/{pkg}', action: 'push', resource: npmResource, handler: putPackage },
  { method: 'PUT', path: '/{pkg}/-rev/:rev', action: 'push', resource: npmResource, handler: putPackageRevision },
  { method: 'DELETE', path: '/{pkg}/-rev/:rev', action: 'delete', resource: npmResource, handler: deletePackage },
  { method: 'GET', path: '/{pkg}/-/:filename', action: 'pull', resource: npmResource, handler: getTarball },
  { method: 'DELETE', path: '/{pkg}/-/:filename/-rev/:rev', action: 'delete', resource: npmResource, handler: deleteTarball },
];
