/** Where each protocol lives on the public URL (ARCHITECTURE.md, URL layout). */
export const NPM_PATH = '/artifactory/api/npm/npm/';
export const PYPI_SIMPLE_PATH = '/artifactory/api/pypi/pypi/simple';
export const GO_PROXY_PATH = '/artifactory/api/go/go';
export const HELM_REPOSITORY_PATH = '/artifactory/api/helm/helm';
export const CARGO_INDEX_PATH = '/artifactory/api/cargo/cargo/index/';
/** The name `flyreg setup` and the snippets give this registry in cargo's and helm's configuration. */
export const CLIENT_REGISTRY_NAME = 'fly';

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
  /** GOPROXY URL; `netrcMachine` is what .netrc names (go matches host:port, and sends it over HTTPS only). */
  go: { proxy: string; netrcMachine: string };
  /** The chart repository URL (`helm repo add`) and the OCI host for `helm push oci://…`. */
  helm: { repository: string; ociRegistry: string };
  /** The sparse index URL as cargo's `index =` wants it. */
  cargo: { index: string };
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
    go: { proxy: `${base}${GO_PROXY_PATH}`, netrcMachine: `${host}${basePath}` },
    helm: { repository: `${base}${HELM_REPOSITORY_PATH}`, ociRegistry: host },
    cargo: { index: `sparse+${base}${CARGO_INDEX_PATH}` },
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
  /** Environment for `go` plus the .netrc line it authenticates with. */
  goEnv: string;
  helmRepoAdd: string;
  /** ~/.cargo/config.toml: the registry, the token provider and the token. */
  cargoConfig: string;
}

/** Ready-to-paste client configuration for a token, built from the public URL. */
export function clientSnippets(publicUrl: URL, username: string, secret: string): ClientSnippets {
  const endpoints = registryEndpoints(publicUrl);
  return {
    dockerLogin: `echo '${secret}' | docker login ${endpoints.docker.registry} --username ${username} --password-stdin`,
    npmrc: `registry=${endpoints.npm.registry}\n${endpoints.npm.authKey}:_authToken=${secret}\n`,
    pipIndexUrl: `export PIP_INDEX_URL=${pypiIndexUrlWithCredentials(endpoints.pypi.indexUrl, username, secret)}`,
    goEnv: goEnvSnippet(endpoints, username, secret),
    helmRepoAdd:
      `echo '${secret}' | helm repo add ${CLIENT_REGISTRY_NAME} ${endpoints.helm.repository} --username ${username} --password-stdin\n` +
      `echo '${secret}' | helm registry login ${endpoints.helm.ociRegistry} --username ${username} --password-stdin`,
    cargoConfig: cargoConfigSnippet(endpoints, secret),
  };
}

/**
 * Go: our proxy, no public checksum database for what it serves (GONOSUMDB; go.sum still pins every
 * hash), and credentials in .netrc, which `go` reads by default (GOAUTH=netrc).
 */
export function goEnvSnippet(endpoints: RegistryEndpoints, username: string, secret: string): string {
  return [
    `export GOPROXY=${endpoints.go.proxy}`,
    "export GONOSUMDB='*'",
    'export GOFLAGS=-mod=mod',
    `# ~/.netrc (go sends it over HTTPS only):`,
    `# ${netrcLine(endpoints.go.netrcMachine, username, secret)}`,
  ].join('\n');
}

export function netrcLine(machine: string, username: string, secret: string): string {
  return `machine ${machine} login ${username} password ${secret}`;
}

/** Cargo: the sparse registry with cargo's token provider; the token sits beside it (keep the file private). */
export function cargoConfigSnippet(endpoints: RegistryEndpoints, secret: string): string {
  return [`[registries.${CLIENT_REGISTRY_NAME}]`, `index = "${endpoints.cargo.index}"`, 'credential-provider = "cargo:token"', `token = "${secret}"`, ''].join('\n');
}
