import { join } from 'node:path';
import { DEFAULT_TIMEOUT_MS } from './http-transport.js';

/**
 * Everything the client side takes from its surroundings, read once in the CLI entry (never at import
 * time) and passed down: where its own login lives and where each package manager keeps its config.
 */
export interface ClientEnvironment {
  /** Holds credentials.json: FLYREG_CONFIG_DIR, else $XDG_CONFIG_HOME/flyreg, else ~/.config/flyreg. */
  configDir: string;
  /** Docker's config directory: DOCKER_CONFIG, else ~/.docker. */
  dockerConfigDir: string;
  /**
   * The containers auth file podman, buildah and skopeo read: REGISTRY_AUTH_FILE, else
   * $XDG_CONFIG_HOME/containers/auth.json (which they consult when there is no login in the runtime dir).
   */
  containersAuthFile: string;
  /** The user's .npmrc (npm's default location). */
  userNpmrc: string;
  /** pip's user configuration file: PIP_CONFIG_FILE, else $XDG_CONFIG_HOME/pip/pip.conf. */
  pipConfigFile: string;
  /** Where `go` reads credentials: NETRC, else ~/.netrc. */
  netrcFile: string;
  /** $XDG_CONFIG_HOME, else ~/.config: where XDG-minded clients keep their configuration. */
  xdgConfigHome: string;
  /** Names tokens that `flyreg setup` creates (`<hostname>-npm`). */
  hostname: string;
  /** Relative --project paths resolve against it. */
  cwd: string;
  /**
   * The home directory and the environment variables, for clients whose configuration lives elsewhere: each
   * protocol's clientSetup reads its client's own variables from these (src/protocols/<id>/definition.ts).
   */
  home: string;
  vars: Record<string, string | undefined>;
  /** FLYREG_TIMEOUT (seconds), else 30 s: the longest wait for the registry's answer to one request. */
  requestTimeoutMs: number;
}

export function clientEnvironment(env: Record<string, string | undefined>, home: string, hostname: string, cwd: string): ClientEnvironment {
  const nonEmpty = (name: string) => (env[name] ? env[name] : undefined);
  const xdgConfig = nonEmpty('XDG_CONFIG_HOME') ?? join(home, '.config');
  return {
    configDir: nonEmpty('FLYREG_CONFIG_DIR') ?? join(xdgConfig, 'flyreg'),
    dockerConfigDir: nonEmpty('DOCKER_CONFIG') ?? join(home, '.docker'),
    containersAuthFile: nonEmpty('REGISTRY_AUTH_FILE') ?? join(xdgConfig, 'containers', 'auth.json'),
    userNpmrc: nonEmpty('NPM_CONFIG_USERCONFIG') ?? join(home, '.npmrc'),
    pipConfigFile: nonEmpty('PIP_CONFIG_FILE') ?? join(xdgConfig, 'pip', 'pip.conf'),
    netrcFile: nonEmpty('NETRC') ?? join(home, '.netrc'),
    xdgConfigHome: xdgConfig,
    hostname,
    cwd,
    home,
    vars: env,
    requestTimeoutMs: timeoutSeconds(env.FLYREG_TIMEOUT) * 1000,
  };
}

/** FLYREG_TIMEOUT as seconds: a positive number, else the default. */
function timeoutSeconds(text: string | undefined): number {
  const seconds = Number(text);
  return text && Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_MS / 1000;
}
