/** Where each protocol lives on the public URL (ARCHITECTURE.md, URL layout). */
export const NPM_PATH = '/artifactory/api/npm/npm/';
export const PYPI_SIMPLE_PATH = '/artifactory/api/pypi/pypi/simple';

/**
 * Where each client reaches this registry, derived from the public URL in this one place: the snippets
 * below and `GET /api/v1/endpoints` (which `flyreg setup` reads) both use it.
 */
export interface RegistryEndpoints {
  publicUrl: string;
  /** The registry host as Docker names it in image references and in config.json `auths`. */
  docker: { registry: string };
  /** `registry` is the npm registry URL; `authKey` is the `.npmrc` key prefix its credentials sit under. */
  npm: { registry: string; authKey: string };
  /** The PEP 503 simple index, without credentials. */
  pypi: { indexUrl: string };
}

export function registryEndpoints(publicUrl: URL): RegistryEndpoints {
  const host = publicUrl.host;
  const base = publicUrl.href.replace(/\/$/, '');
  const basePath = publicUrl.pathname.replace(/\/$/, '');
  return {
    publicUrl: base,
    docker: { registry: host },
    npm: { registry: `${base}${NPM_PATH}`, authKey: `//${host}${basePath}${NPM_PATH}` },
    pypi: { indexUrl: `${base}${PYPI_SIMPLE_PATH}` },
  };
}

/** The simple-index URL with a token's Basic credentials in it, as pip's index-url wants them. */
export function pypiIndexUrlWithCredentials(indexUrl: string, username: string, secret: string): string {
  const url = new URL(indexUrl);
  return `${url.protocol}//${encodeURIComponent(username)}:${secret}@${url.host}${url.pathname}`;
}

export interface ClientSnippets {
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
}

/** Ready-to-paste client configuration for a token, built from the public URL. */
export function clientSnippets(publicUrl: URL, username: string, secret: string): ClientSnippets {
  const endpoints = registryEndpoints(publicUrl);
  return {
    dockerLogin: `echo '${secret}' | docker login ${endpoints.docker.registry} --username ${username} --password-stdin`,
    // always-auth: Yarn 1 reads .npmrc and otherwise sends the token only for scoped packages.
    npmrc: `registry=${endpoints.npm.registry}\n${endpoints.npm.authKey}:_authToken=${secret}\n${endpoints.npm.authKey}:always-auth=true\n`,
    pipIndexUrl: `export PIP_INDEX_URL=${pypiIndexUrlWithCredentials(endpoints.pypi.indexUrl, username, secret)}`,
  };
}
