/** Where each protocol lives on the public URL (ARCHITECTURE.md, URL layout). */
export const NPM_PATH = '/artifactory/api/npm/npm/';
export const PYPI_SIMPLE_PATH = '/artifactory/api/pypi/pypi/simple';

export interface ClientSnippets {
  dockerLogin: string;
  npmrc: string;
  pipIndexUrl: string;
}

/** Ready-to-paste client configuration for a token, built from the public URL. */
export function clientSnippets(publicUrl: URL, username: string, secret: string): ClientSnippets {
  const host = publicUrl.host;
  const base = publicUrl.href.replace(/\/$/, '');
  const basePath = publicUrl.pathname.replace(/\/$/, '');
  return {
    dockerLogin: `echo '${secret}' | docker login ${host} --username ${username} --password-stdin`,
    npmrc: `registry=${base}${NPM_PATH}\n//${host}${basePath}${NPM_PATH}:_authToken=${secret}\n`,
    pipIndexUrl: `export PIP_INDEX_URL=${publicUrl.protocol}//${encodeURIComponent(username)}:${secret}@${host}${basePath}${PYPI_SIMPLE_PATH}`,
  };
}
