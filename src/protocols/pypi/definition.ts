import { editPipConf } from '../../client/package-managers/pip-conf.js';
import { normalizeProjectName } from '../../core/pypi/names.js';
import { normalizeVersion } from '../../core/pypi/versions.js';
import { publicBase } from '../../core/tokens/snippets.js';
import type { ProtocolDefinition } from '../kit/definition.js';

/** The documented (Artifactory-shaped) mount; `/pypi` is its short alias. */
export const PYPI_PATH = '/artifactory/api/pypi/pypi';

/** The simple-index URL with a token's Basic credentials in it, as pip's index-url wants them. */
export function indexUrlWithCredentials(indexUrl: string, username: string, secret: string): string {
  const url = new URL(indexUrl);
  url.username = username;
  url.password = secret;
  return url.href;
}

/** Python packages: the Simple API, uploads (twine) and the JSON API. */
export const pypiProtocol: ProtocolDefinition = {
  id: 'pypi',
  title: 'PyPI',
  prefixes: [PYPI_PATH, '/pypi'],
  // The PEP 503 simple index, without credentials.
  endpoint: { key: 'pypi', build: (publicUrl) => ({ indexUrl: `${publicBase(publicUrl).base}${PYPI_PATH}/simple` }) },
  snippets: [
    {
      key: 'pipIndexUrl',
      build: (endpoint, username, secret) => `export PIP_INDEX_URL=${indexUrlWithCredentials(endpoint.indexUrl ?? '', username, secret)}`,
    },
  ],
  // PyPI stores names PEP 503-normalised and versions PEP 440-normalised: releases compare the same way.
  artifact: {
    shape: 'package',
    repository: 'pypi',
    normalizeName: normalizeProjectName,
    normalizeVersion: (version) => normalizeVersion(version) ?? version,
  },
  clientSetup: {
    tool: 'pip',
    configPath: (env) => env.pipConfigFile,
    edit: (existing, endpoints, credential) => editPipConf(existing, indexUrlWithCredentials(endpoints.pypi.indexUrl, credential.username, credential.secret)),
  },
  mount: async (app, deps) => (await import('./plugin.js')).pypiPlugin(app, deps),
  routes: async () => (await import('./routes.js')).PYPI_ROUTES,
};
