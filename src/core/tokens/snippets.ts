import { gradleSnippet, MAVEN_SERVER_ID, mavenDistributionManagement, mavenSettingsXml } from '../maven/settings-xml.js';

/** Where each protocol lives on the public URL (ARCHITECTURE.md, URL layout). */
export const NPM_PATH = '/artifactory/api/npm/npm/';
export const PYPI_SIMPLE_PATH = '/artifactory/api/pypi/pypi/simple';
export const MAVEN_PATH = '/artifactory/maven/';
export const GENERIC_PATH = '/artifactory/api/generic/';

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
  /** The Maven 2 repository, and the server id settings.xml keeps its credentials under. */
  maven: { repositoryUrl: string; serverId: string };
  /** Generic files live at `<baseUrl><name>/<version>/<file>`. */
  generic: { baseUrl: string };
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
    maven: { repositoryUrl: `${base}${MAVEN_PATH}`, serverId: MAVEN_SERVER_ID },
    generic: { baseUrl: `${base}${GENERIC_PATH}` },
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
  /** A whole ~/.m2/settings.xml (server, repository, plugin repository, deploy target). */
  mavenSettingsXml: string;
  /** The pom's distributionManagement, for projects that name their deploy target there. */
  mavenDistributionManagement: string;
  gradle: string;
  /** Uploading a generic file with curl (its sha256 checked by the server). */
  genericCurl: string;
}

/** Ready-to-paste client configuration for a token, built from the public URL. */
export function clientSnippets(publicUrl: URL, username: string, secret: string): ClientSnippets {
  const endpoints = registryEndpoints(publicUrl);
  return {
    dockerLogin: `echo '${secret}' | docker login ${endpoints.docker.registry} --username ${username} --password-stdin`,
    npmrc: `registry=${endpoints.npm.registry}\n${endpoints.npm.authKey}:_authToken=${secret}\n`,
    pipIndexUrl: `export PIP_INDEX_URL=${pypiIndexUrlWithCredentials(endpoints.pypi.indexUrl, username, secret)}`,
    mavenSettingsXml: mavenSettingsXml(endpoints.maven, { username, secret }),
    mavenDistributionManagement: mavenDistributionManagement(endpoints.maven),
    gradle: gradleSnippet(endpoints.maven, { username, secret }),
    genericCurl: `curl -fu '${username}:${secret}' -H "X-Checksum-Sha256: $(sha256sum FILE | cut -d' ' -f1)" -T FILE ${endpoints.generic.baseUrl}NAME/VERSION/FILE`,
  };
}
