import { addDistTag, listDistTags, removeDistTag } from './handlers/dist-tags.js';
import { auditBulk, auditQuick, ping, search, whoami } from './handlers/meta.js';
import { deletePackage, deleteTarball, getPackument, getTarball, putPackage, putPackageRevision } from './handlers/packages.js';
import { couchLogin, createToken, listTokens, revokeToken } from './handlers/tokens.js';
import { pollWebLogin, startWebLogin } from './handlers/web-login.js';
import type { NpmRoute } from './route.js';

/** Everything npm 10/11 calls, relative to the mount point (`/artifactory/api/npm/npm/` and `/npm/`). */
export const NPM_ROUTES: NpmRoute[] = [
  { method: 'GET', path: '/-/ping', access: 'public', handler: ping },
  { method: 'GET', path: '/-/whoami', access: 'authenticated', handler: whoami },
  { method: 'GET', path: '/-/v1/search', access: 'pull', handler: search },
  { method: 'POST', path: '/-/npm/v1/security/advisories/bulk', access: 'pull', handler: auditBulk },
  { method: 'POST', path: '/-/npm/v1/security/audits/quick', access: 'pull', handler: auditQuick },

  // Tokens: core's TokenService applies the rights (authorize.ts, own-tokens); creating needs the password.
  { method: 'GET', path: '/-/npm/v1/tokens', access: 'authenticated', handler: listTokens },
  { method: 'POST', path: '/-/npm/v1/tokens', access: 'authenticated', handler: createToken },
  { method: 'DELETE', path: '/-/npm/v1/tokens/token/:key', access: 'authenticated', handler: revokeToken },
  { method: 'PUT', path: '/-/user/:couchUser', access: 'public', handler: couchLogin },
  // npm login's web flow: the poll authenticates with the secret in its path (core checks it, rate-limited).
  { method: 'POST', path: '/-/v1/login', access: 'public', handler: startWebLogin },
  { method: 'GET', path: '/-/v1/login/done/:id/:secret', access: 'public', handler: pollWebLogin },

  { method: 'GET', path: '/-/package/{pkg}/dist-tags', access: 'pull', handler: listDistTags },
  { method: 'PUT', path: '/-/package/{pkg}/dist-tags/:tag', access: 'push', handler: addDistTag },
  { method: 'DELETE', path: '/-/package/{pkg}/dist-tags/:tag', access: 'push', handler: removeDistTag },

  { method: 'GET', path: '/{pkg}', access: 'pull', handler: getPackument },
  { method: 'PUT', path: '/{pkg}', access: 'push', bodyLimit: 'publish', handler: putPackage },
  { method: 'PUT', path: '/{pkg}/-rev/:rev', access: 'push', bodyLimit: 'publish', handler: putPackageRevision },
  { method: 'DELETE', path: '/{pkg}/-rev/:rev', access: 'delete', handler: deletePackage },
  { method: 'GET', path: '/{pkg}/-/:filename', access: 'pull', handler: getTarball },
  { method: 'DELETE', path: '/{pkg}/-/:filename/-rev/:rev', access: 'delete', handler: deleteTarball },
];
